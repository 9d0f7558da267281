"""Activities (seed 004 F9): logging with validation and last-contact tracking, changes, follow-ups, summaries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.activities.models import Activity
from domain.activities.schemas import ActivityChanges
from domain.activities.service import complete_follow_up, list_activities, log_activity, update_activity
from domain.audit import AuditLog
from domain.clients.models import Client, Contact
from domain.enums import ActivityOutcome, ActivityType, Role
from domain.errors import AccessDeniedError, NotFoundError, ValidationError
from tests.factories import Factory

NOW = dt.datetime(2025, 6, 16, 15, 0, tzinfo=dt.UTC)  # a Monday
EARLIER = dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC)


@dataclass
class Team:
    csm: Actor
    other_csm: Actor
    vp: Actor
    admin: Actor
    stranger: Actor  # a VP of another tenant
    client: Client
    other_client: Client
    foreign_client: Client
    sarah: Contact
    tom: Contact
    outsider: Contact  # a contact of other_client


@pytest.fixture
def team(factory: Factory) -> Team:
    workspace, elsewhere = factory.workspace(), factory.workspace()
    csm = factory.user(workspace, Role.CSM, name="Dana Scully")
    other = factory.user(workspace, Role.CSM, name="Fox Mulder")
    client = factory.client(workspace, name="Acme", csm_user_id=csm.id, last_csm_contact_at=EARLIER)
    other_client = factory.client(workspace, name="Globex", csm_user_id=other.id)
    return Team(
        csm=factory.actor(csm),
        other_csm=factory.actor(other),
        vp=factory.actor(factory.user(workspace, Role.VP_CLIENT_SUCCESS, name="Walter Skinner")),
        admin=factory.actor(factory.user(workspace, Role.ADMIN)),
        stranger=factory.actor(factory.user(elsewhere, Role.VP_CLIENT_SUCCESS)),
        client=client,
        other_client=other_client,
        foreign_client=factory.client(elsewhere, name="Acme"),
        sarah=factory.contact(client, name="Sarah Chen", last_csm_contact=EARLIER),
        tom=factory.contact(client, name="Tom Hale"),
        outsider=factory.contact(other_client),
    )


def log(session: Session, actor: Actor, client: Client, **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "activity_type": ActivityType.CALL,
        "subject": "Check-in call with Sarah Chen",
        "occurred_at": NOW - dt.timedelta(hours=2),
        "now": NOW,
    }
    return log_activity(db_session=session, actor=actor, client_id=client.id, **{**values, **overrides})


def audit_rows(session: Session, entity_type: str | None = None) -> list[AuditLog]:
    query = select(AuditLog).order_by(AuditLog.id)
    if entity_type is not None:
        query = query.where(AuditLog.entity_type == entity_type)
    return list(session.scalars(query))


def count(session: Session, model: type[Any]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_log_activity_records_the_seed_example_and_moves_last_contact(db_session: Session, team: Team) -> None:
    occurred = dt.datetime(2025, 6, 16, 10, 0, tzinfo=dt.UTC)
    view = log(
        db_session, team.csm, team.client,
        subject="  Check-in call with Sarah Chen ", description="Year-end audit; re-engage in January.",
        occurred_at=occurred, duration_minutes=30, contact_ids=[team.sarah.id, team.sarah.id, team.tom.id],
        outcome=ActivityOutcome.SUCCESSFUL_ENGAGEMENT, follow_up_date=dt.date(2025, 6, 30),
    )  # fmt: skip
    assert (view.client_name, view.subject, view.performed_by_name) == (
        "Acme",
        "Check-in call with Sarah Chen",
        "Dana Scully",
    )
    assert (view.contact_ids, view.duration_minutes, view.follow_up_date) == (
        [team.sarah.id, team.tom.id],
        30,
        dt.date(2025, 6, 30),
    )
    assert view.follow_up_completed is False
    db_session.expire_all()
    assert team.client.last_csm_contact_at == occurred
    assert team.sarah.last_csm_contact == occurred
    assert team.tom.last_csm_contact == occurred
    created, touched = audit_rows(db_session)
    assert (created.action, created.entity_type, created.entity_id, created.before) == (
        "create",
        "activity",
        str(view.id),
        None,
    )
    assert created.after is not None
    assert created.after["contact_ids"] == [team.sarah.id, team.tom.id]
    assert (touched.action, touched.entity_type, touched.entity_id) == ("record_contact", "client", str(team.client.id))
    assert touched.before == {
        "last_csm_contact_at": EARLIER.isoformat(),
        "contacts": {str(team.sarah.id): EARLIER.isoformat(), str(team.tom.id): None},
    }


def test_older_and_internal_activities_never_move_last_contact_back(db_session: Session, team: Team) -> None:
    log(db_session, team.csm, team.client, occurred_at=EARLIER - dt.timedelta(days=3), contact_ids=[team.sarah.id])
    log(db_session, team.csm, team.client, activity_type=ActivityType.INTERNAL_DISCUSSION, contact_ids=[team.tom.id])
    db_session.expire_all()
    assert (team.client.last_csm_contact_at, team.sarah.last_csm_contact, team.tom.last_csm_contact) == (
        EARLIER,
        EARLIER,
        None,
    )
    assert [row.action for row in audit_rows(db_session)] == ["create", "create"]


def test_an_activity_logged_a_little_ahead_is_accepted_but_last_contact_stops_at_now(
    db_session: Session, team: Team
) -> None:
    ahead = NOW + dt.timedelta(hours=23)
    view = log(db_session, team.csm, team.client, occurred_at=ahead)
    assert view.occurred_at == ahead
    db_session.expire_all()
    assert team.client.last_csm_contact_at == NOW


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"subject": "   "}, "needs a subject"),
        ({"subject": "x" * 301}, "keep it to 300"),
        ({"occurred_at": NOW + dt.timedelta(days=1, minutes=1)}, "more than a day ahead"),
        ({"occurred_at": dt.datetime(2025, 6, 16, 9, 0)}, "timezone"),
        ({"duration_minutes": -1}, "duration"),
        ({"duration_minutes": 1441}, "duration"),
        ({"duration_minutes": True}, "duration"),
        ({"follow_up_date": dt.date(2025, 6, 15)}, "before the activity"),
        ({"contact_ids": "outsider"}, "not a contact of Acme"),
        ({"contact_ids": [999_999]}, "not a contact of Acme"),
        ({"activity_type": "PIGEON"}, "not a known activity type"),
        ({"outcome": "GREAT"}, "not a known activity outcome"),
    ],
)
def test_invalid_activities_are_refused_and_change_nothing(
    db_session: Session, team: Team, overrides: dict[str, Any], message: str
) -> None:
    overrides = dict(overrides)  # the parameter is shared by both backends' runs
    if overrides.get("contact_ids") == "outsider":
        overrides = {"contact_ids": [team.sarah.id, team.outsider.id]}
    with pytest.raises(ValidationError, match=message):
        log(db_session, team.csm, team.client, contact_ids=overrides.pop("contact_ids", [team.sarah.id]), **overrides)
    db_session.expire_all()
    assert (count(db_session, Activity), count(db_session, AuditLog)) == (0, 0)
    assert (team.client.last_csm_contact_at, team.sarah.last_csm_contact) == (EARLIER, EARLIER)


def test_logging_is_scoped_by_portfolio_and_tenant(db_session: Session, team: Team) -> None:
    with pytest.raises(AccessDeniedError, match="not in your portfolio"):
        log(db_session, team.csm, team.other_client)
    with pytest.raises(NotFoundError):
        log(db_session, team.stranger, team.client)
    with pytest.raises(NotFoundError):
        log(db_session, team.csm, team.foreign_client)
    assert log(db_session, team.vp, team.other_client).performed_by_name == "Walter Skinner"
    assert count(db_session, Activity) == 1


def test_a_retried_log_with_the_same_key_returns_the_first_activity(db_session: Session, team: Team) -> None:
    first = log(db_session, team.csm, team.client, idempotency_key="slack:msg-1")
    again = log(db_session, team.csm, team.client, idempotency_key="slack:msg-1", subject="different")
    assert again == first
    assert count(db_session, Activity) == 1


def test_update_changes_only_the_given_fields_and_is_audited(db_session: Session, team: Team) -> None:
    view = log(db_session, team.csm, team.client, description="first notes", duration_minutes=20)
    changes = ActivityChanges(subject="QBR prep call", description=None, outcome=ActivityOutcome.RISK_IDENTIFIED)
    changed = update_activity(db_session=db_session, actor=team.csm, activity_id=view.id, changes=changes, now=NOW)
    assert (changed.subject, changed.description, changed.outcome, changed.duration_minutes) == (
        "QBR prep call",
        None,
        ActivityOutcome.RISK_IDENTIFIED,
        20,
    )
    (row,) = [row for row in audit_rows(db_session, "activity") if row.action == "update"]
    assert row.before is not None
    assert row.after is not None
    assert (row.before["subject"], row.after["subject"], row.after["description"]) == (
        "Check-in call with Sarah Chen",
        "QBR prep call",
        None,
    )


def test_only_the_performer_or_an_admin_may_change_an_activity(db_session: Session, team: Team) -> None:
    view = log(db_session, team.csm, team.client)
    changes = ActivityChanges(subject="renamed")
    with pytest.raises(AccessDeniedError):
        update_activity(db_session=db_session, actor=team.vp, activity_id=view.id, changes=changes, now=NOW)
    with pytest.raises(AccessDeniedError, match="not in your portfolio"):
        update_activity(db_session=db_session, actor=team.other_csm, activity_id=view.id, changes=changes, now=NOW)
    with pytest.raises(NotFoundError):
        update_activity(db_session=db_session, actor=team.stranger, activity_id=view.id, changes=changes, now=NOW)
    assert (
        update_activity(db_session=db_session, actor=team.admin, activity_id=view.id, changes=changes, now=NOW).subject
        == "renamed"
    )


@pytest.mark.parametrize(
    "changes",
    [
        ActivityChanges(subject=None),
        ActivityChanges(subject=""),
        ActivityChanges(duration_minutes=2000),
        ActivityChanges(follow_up_date=dt.date(2025, 6, 1)),
        ActivityChanges(occurred_at=NOW + dt.timedelta(days=3)),
        ActivityChanges(contact_ids=[999_999]),
    ],
)
def test_invalid_changes_are_refused_and_change_nothing(
    db_session: Session, team: Team, changes: ActivityChanges
) -> None:
    view = log(db_session, team.csm, team.client)
    with pytest.raises(ValidationError):
        update_activity(db_session=db_session, actor=team.csm, activity_id=view.id, changes=changes, now=NOW)
    db_session.expire_all()
    (activity,) = db_session.scalars(select(Activity)).all()
    assert (activity.subject, activity.duration_minutes, activity.contact_ids) == (view.subject, None, [])
    assert [row.action for row in audit_rows(db_session, "activity")] == ["create"]


def test_completing_a_follow_up_is_audited_once(db_session: Session, team: Team) -> None:
    view = log(db_session, team.csm, team.client, follow_up_date=dt.date(2025, 6, 20))
    done = complete_follow_up(db_session=db_session, actor=team.vp, activity_id=view.id, now=NOW)
    assert (done.follow_up_completed, done.follow_up_completed_at) == (True, NOW)
    again = complete_follow_up(db_session=db_session, actor=team.csm, activity_id=view.id, now=NOW + dt.timedelta(1))
    assert again.follow_up_completed_at == NOW
    completions = [row for row in audit_rows(db_session, "activity") if row.action == "complete_follow_up"]
    assert len(completions) == 1
    assert completions[0].actor_user_id == team.vp.user_id
    cleared = update_activity(
        db_session=db_session,
        actor=team.csm,
        activity_id=view.id,
        changes=ActivityChanges(follow_up_date=None),
        now=NOW,
    )
    assert (cleared.follow_up_date, cleared.follow_up_completed, cleared.follow_up_completed_at) == (None, False, None)


def test_completing_needs_a_follow_up_and_a_visible_client(db_session: Session, team: Team) -> None:
    view = log(db_session, team.csm, team.client)
    with pytest.raises(ValidationError, match="no follow-up"):
        complete_follow_up(db_session=db_session, actor=team.csm, activity_id=view.id, now=NOW)
    with pytest.raises(NotFoundError):
        complete_follow_up(db_session=db_session, actor=team.stranger, activity_id=view.id, now=NOW)
    with pytest.raises(AccessDeniedError):
        complete_follow_up(db_session=db_session, actor=team.other_csm, activity_id=view.id, now=NOW)
    with pytest.raises(NotFoundError):
        complete_follow_up(db_session=db_session, actor=team.csm, activity_id=999_999, now=NOW)


def test_list_activities_newest_first_with_a_limit_and_scope(db_session: Session, team: Team) -> None:
    for days_ago, subject in [(3, "third"), (1, "first"), (2, "second")]:
        log(db_session, team.csm, team.client, subject=subject, occurred_at=NOW - dt.timedelta(days=days_ago))
    listed = list_activities(db_session=db_session, actor=team.vp, client_id=team.client.id, limit=2)
    assert ([view.subject for view in listed.activities], listed.total) == (["first", "second"], 3)
    with pytest.raises(AccessDeniedError):
        list_activities(db_session=db_session, actor=team.other_csm, client_id=team.client.id)
    with pytest.raises(NotFoundError):
        list_activities(db_session=db_session, actor=team.stranger, client_id=team.client.id)
    with pytest.raises(ValidationError):
        list_activities(db_session=db_session, actor=team.csm, client_id=team.client.id, limit=0)
