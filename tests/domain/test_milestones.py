"""Seed 002's success milestones: defined per tenant, detected from events once per client, celebrated by CSMs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.audit import AuditLog
from domain.clients.models import Client
from domain.enums import EventType, Role
from domain.errors import AccessDeniedError, NotFoundError, ValidationError
from domain.onboarding.milestone_definitions import define_milestone, ensure_default_milestones
from domain.onboarding.milestones import detect_milestones, mark_celebrated, milestones_to_celebrate
from domain.onboarding.models import Milestone, MilestoneDefinition, MilestoneMeasure
from domain.usage.models import EngagementEvent
from tests.factories import Factory

AS_OF = dt.date(2025, 3, 20)
_sequence = iter(range(1, 1_000_000))


def event(factory: Factory, client: Client, when: dt.datetime, event_type: EventType, **extra: Any) -> EngagementEvent:
    return factory.engagement_event(
        client,
        event_type=event_type,
        occurred_at=when,
        occurred_on=when.date(),
        occurred_hour=when.hour,
        event_id=f"ms-{next(_sequence)}",
        **extra,
    )


def day(n: int, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(AS_OF - dt.timedelta(days=n), dt.time(hour), tzinfo=dt.UTC)


@pytest.fixture
def world(factory: Factory) -> dict[str, Any]:
    workspace = factory.workspace()
    csm = factory.user(workspace, Role.CSM)
    other_csm = factory.user(workspace, Role.CSM)
    admin = factory.user(workspace, Role.ADMIN)
    acme = factory.client(workspace, name="Acme Corp", csm_user_id=csm.id)
    globex = factory.client(workspace, name="Globex", csm_user_id=other_csm.id)
    ensure_default_milestones(db_session=factory.session, workspace_id=workspace.id)
    outsider = factory.user(factory.workspace(), Role.ADMIN)
    return {
        "workspace": workspace,
        "csm": factory.actor(csm),
        "other_csm": factory.actor(other_csm),
        "admin": factory.actor(admin),
        "outsider": factory.actor(outsider),
        "acme": acme,
        "globex": globex,
    }


def _detect(db_session: Session, world: dict[str, Any], as_of: dt.date = AS_OF) -> list[tuple[str, str]]:
    found = detect_milestones(db_session=db_session, workspace_id=world["workspace"].id, as_of=as_of)
    return [(m.client_name, m.milestone_type) for m in found]


def test_default_definitions_are_the_seeds_three_and_ensuring_is_idempotent(db_session: Session, world: dict) -> None:
    again = ensure_default_milestones(db_session=db_session, workspace_id=world["workspace"].id)
    assert [(d.key, d.event_type, d.measure, d.threshold) for d in again] == [
        ("first_form", EventType.CONTENT_GENERATED, MilestoneMeasure.EVENTS, 1),
        ("ten_clients", EventType.LOGIN, MilestoneMeasure.DISTINCT_USERS, 10),
        ("first_automation", EventType.FEATURE_USE, MilestoneMeasure.EVENTS, 1),
    ]


def test_a_milestone_is_recorded_once_uncelebrated_at_the_event_that_reached_it(
    db_session: Session, factory: Factory, world: dict
) -> None:
    event(factory, world["acme"], day(5), EventType.CONTENT_GENERATED)
    event(factory, world["acme"], day(2), EventType.CONTENT_GENERATED)
    assert _detect(db_session, world) == [("Acme Corp", "first_form")]
    assert _detect(db_session, world) == []
    (milestone,) = db_session.scalars(select(Milestone).where(Milestone.client_id == world["acme"].id)).all()
    assert (milestone.achieved_at, milestone.celebrated) == (day(5), False)


def test_events_after_as_of_do_not_count(db_session: Session, factory: Factory, world: dict) -> None:
    event(factory, world["acme"], day(-1), EventType.CONTENT_GENERATED)
    assert _detect(db_session, world) == []
    assert _detect(db_session, world, AS_OF + dt.timedelta(days=1)) == [("Acme Corp", "first_form")]


def test_ten_clients_needs_ten_distinct_users(db_session: Session, factory: Factory, world: dict) -> None:
    for user in range(9):
        event(factory, world["acme"], day(20 - user), EventType.LOGIN, user_ref=f"u{user}")
        event(factory, world["acme"], day(1), EventType.LOGIN, user_ref=f"u{user}")  # repeat logins add nothing
    assert _detect(db_session, world) == []
    event(factory, world["acme"], day(3), EventType.LOGIN, user_ref="u9")
    event(factory, world["acme"], day(2), EventType.LOGIN, user_ref="u10")
    assert _detect(db_session, world) == [("Acme Corp", "ten_clients")]
    achieved = db_session.scalar(select(Milestone.achieved_at).where(Milestone.milestone_type == "ten_clients"))
    assert achieved == day(3)  # the tenth user's first login


def test_first_automation_counts_only_its_feature(db_session: Session, factory: Factory, world: dict) -> None:
    event(factory, world["acme"], day(4), EventType.FEATURE_USE, feature_key="case_creation")
    assert _detect(db_session, world) == []
    event(factory, world["globex"], day(4), EventType.FEATURE_USE, feature_key="api_calls")
    assert _detect(db_session, world) == [("Globex", "first_automation")]


def test_tenant_defined_milestones_are_detected_at_their_threshold(
    db_session: Session, factory: Factory, world: dict
) -> None:
    definition = define_milestone(
        db_session=db_session,
        actor=world["admin"],
        key="three_tasks",
        name="Three tasks done",
        event_type=EventType.TASK_COMPLETED,
        threshold=3,
    )
    assert definition.celebration == "congratulate them on reaching Three tasks done"
    for n in (9, 8):
        event(factory, world["acme"], day(n), EventType.TASK_COMPLETED)
    assert _detect(db_session, world) == []
    event(factory, world["acme"], day(7), EventType.TASK_COMPLETED)
    (found,) = detect_milestones(db_session=db_session, workspace_id=world["workspace"].id, as_of=AS_OF)
    assert (found.milestone_type, found.name, found.achieved_at) == ("three_tasks", "Three tasks done", day(7))
    assert found.celebration == (
        "Acme Corp reached 'Three tasks done' on 2025-03-13 — congratulate them on reaching Three tasks done"
    )


def test_redefining_updates_and_disabled_definitions_are_skipped(
    db_session: Session, factory: Factory, world: dict
) -> None:
    kwargs = {"db_session": db_session, "actor": world["admin"], "key": "first_form", "name": "First form"}
    define_milestone(**kwargs, event_type=EventType.CONTENT_GENERATED, enabled=False)
    event(factory, world["acme"], day(5), EventType.CONTENT_GENERATED)
    assert _detect(db_session, world) == []
    rows = db_session.scalars(select(MilestoneDefinition).where(MilestoneDefinition.key == "first_form")).all()
    assert [(row.name, row.enabled) for row in rows] == [("First form", False)]
    audit = db_session.scalars(select(AuditLog).where(AuditLog.entity_type == "milestone_definition")).one()
    assert audit.action == "update"


def test_defining_milestones_is_for_whole_tenant_roles_with_valid_input(db_session: Session, world: dict) -> None:
    base = {"db_session": db_session, "name": "X", "event_type": EventType.LOGIN}
    with pytest.raises(AccessDeniedError):
        define_milestone(**base, actor=world["csm"], key="logins")
    for bad in ({"key": "Bad Key!"}, {"key": "fully_activated"}, {"key": "ok_key", "threshold": 0}):
        with pytest.raises(ValidationError):
            define_milestone(**(base | {"actor": world["admin"]} | bad))
    with pytest.raises(ValidationError):
        define_milestone(**(base | {"actor": world["admin"], "key": "ok_key", "event_type": "nonsense"}))


def test_milestones_to_celebrate_are_scoped_and_leave_once_celebrated(
    db_session: Session, factory: Factory, world: dict
) -> None:
    event(factory, world["acme"], day(5), EventType.CONTENT_GENERATED)
    event(factory, world["globex"], day(4), EventType.CONTENT_GENERATED)
    _detect(db_session, world)
    (mine,) = milestones_to_celebrate(db_session=db_session, actor=world["csm"], as_of=AS_OF)
    assert (mine.client_name, mine.name) == ("Acme Corp", "First form created")
    assert "send a short congratulations note" in mine.celebration
    assert len(milestones_to_celebrate(db_session=db_session, actor=world["admin"], as_of=AS_OF)) == 2
    assert milestones_to_celebrate(db_session=db_session, actor=world["outsider"], as_of=AS_OF) == []
    assert (
        milestones_to_celebrate(db_session=db_session, actor=world["admin"], as_of=AS_OF - dt.timedelta(days=6)) == []
    )
    celebrated = mark_celebrated(db_session=db_session, actor=world["csm"], milestone_id=mine.id)
    assert celebrated.celebrated is True
    assert mark_celebrated(db_session=db_session, actor=world["csm"], milestone_id=mine.id).celebrated is True
    assert milestones_to_celebrate(db_session=db_session, actor=world["csm"], as_of=AS_OF) == []
    audits = db_session.scalars(select(AuditLog).where(AuditLog.entity_type == "milestone")).all()
    assert [(a.entity_id, a.after) for a in audits] == [(str(mine.id), {"celebrated": True})]


@pytest.mark.parametrize(("who", "error"), [("outsider", NotFoundError), ("other_csm", AccessDeniedError)])
def test_celebrating_is_scoped(db_session: Session, factory: Factory, world: dict, who: str, error: type) -> None:
    milestone = factory.milestone(world["acme"], achieved_at=day(3))
    with pytest.raises(error):
        mark_celebrated(db_session=db_session, actor=world[who], milestone_id=milestone.id)
    assert milestone.celebrated is False
