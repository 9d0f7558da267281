"""The success layer's services on both backends: gating, targets with history, baseline, scorecard, journal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.audit import AuditLog
from domain.clients.models import Client, Contact
from domain.enums import InterventionKind, LifecycleStatus, MetricDirection, RiskStatus, Role
from domain.errors import AccessDeniedError, ConflictError, NotFoundError, ValidationError
from domain.staff.models import User, Workspace
from domain.success.journal import add_risk, log_feedback, log_intervention, resolve_risk
from domain.success.models import BaselineSnapshot, OutcomeEntry, ResultTarget
from domain.success.reads import get_success_data
from domain.success.rules import OutcomeStatus
from domain.success.schemas import OutcomeEntryRecorded
from domain.success.service import add_outcome_entry, record_baseline, set_result_target
from tests.factories import Factory

AS_OF = dt.date(2025, 4, 14)  # a Monday
NOW = dt.datetime(2025, 4, 14, 15, 0, tzinfo=dt.UTC)
START = dt.date(2025, 3, 3)
LOWER = MetricDirection.LOWER_IS_BETTER


@dataclass
class World:
    workspace: Workspace
    csm: User
    consultant: User
    other_consultant: User
    client: Client
    contact: Contact
    outsider: Actor  # a VP of another tenant

    @property
    def as_csm(self) -> Actor:
        return Actor.from_user(self.csm)

    @property
    def as_consultant(self) -> Actor:
        return Actor.from_user(self.consultant)


@pytest.fixture
def world(factory: Factory) -> World:
    workspace = factory.workspace()
    csm = factory.user(workspace, Role.CSM)
    consultant = factory.user(workspace, Role.CONSULTANT)
    other_consultant = factory.user(workspace, Role.CONSULTANT)
    client = factory.client(
        workspace, name=f"Acme Corp {workspace.id}", lifecycle_status=LifecycleStatus.BUILDING, csm_user_id=csm.id
    )
    factory.engagement(client, consultant)
    factory.engagement(factory.client(workspace, lifecycle_status=LifecycleStatus.BUILDING), other_consultant)
    other = factory.workspace()
    outsider = Actor.from_user(factory.user(other, Role.VP_CLIENT_SUCCESS))
    return World(
        workspace, csm, consultant, other_consultant, client, factory.contact(client, name="Dana Reyes"), outsider
    )


def reporting_target(session: Session, world: World, actor: Actor | None = None, **overrides: Any) -> int:
    values: dict[str, Any] = {
        "current_state": "Reports take 10 hours a week",
        "target_state": "Reports take 2 hours a week",
        "metric": "reporting hours",
        "unit": "hours/week",
        "direction": LOWER,
        "current_value": 10,
        "target_value": 2,
        "start_date": START,
        "target_date": START + dt.timedelta(days=70),
        **overrides,
    }
    result = set_result_target(
        db_session=session, actor=actor or world.as_consultant, client_id=world.client.id, as_of=AS_OF, **values
    )
    return result.target.id


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_gate_refuses_clients_outside_approved_building_shipped(db_session: Session, world: World) -> None:
    world.client.lifecycle_status = LifecycleStatus.ACTIVE
    db_session.flush()
    with pytest.raises(ValidationError) as raised:
        reporting_target(db_session, world)
    assert str(raised.value) == (
        "the client success layer is shown only while a client is APPROVED, BUILDING or SHIPPED; "
        f"{world.client.name} is ACTIVE"
    )
    with pytest.raises(ValidationError, match="APPROVED, BUILDING or SHIPPED"):
        get_success_data(db_session=db_session, actor=world.as_csm, client_id=world.client.id, as_of=AS_OF)
    with pytest.raises(ValidationError, match="APPROVED, BUILDING or SHIPPED"):
        log_feedback(db_session=db_session, actor=world.as_csm, client_id=world.client.id, response="ok", as_of=AS_OF)
    assert count(db_session, ResultTarget) == 0


@pytest.mark.parametrize("status", [LifecycleStatus.APPROVED, LifecycleStatus.BUILDING, LifecycleStatus.SHIPPED])
def test_gate_opens_for_delivery_statuses(db_session: Session, world: World, status: LifecycleStatus) -> None:
    world.client.lifecycle_status = status
    db_session.flush()
    reporting_target(db_session, world)
    data = get_success_data(db_session=db_session, actor=world.as_csm, client_id=world.client.id, as_of=AS_OF)
    assert data.target is not None


def test_one_active_target_and_history_kept(db_session: Session, world: World) -> None:
    first = reporting_target(db_session, world)
    second = reporting_target(db_session, world, target_value=3, target_state="Reports take 3 hours a week")
    targets = {row.id: row.is_active for row in db_session.scalars(select(ResultTarget))}
    assert targets == {first: False, second: True}
    data = get_success_data(db_session=db_session, actor=world.as_csm, client_id=world.client.id, as_of=AS_OF)
    assert data.target is not None
    assert data.target.id == second
    assert [t.id for t in data.target_history] == [first]
    actions = db_session.execute(
        select(AuditLog.action, AuditLog.entity_id).where(AuditLog.entity_type == "result_target").order_by(AuditLog.id)
    ).all()
    assert [tuple(row) for row in actions] == [
        ("create", str(first)),
        ("deactivate", str(first)),
        ("create", str(second)),
    ]


def test_setting_the_same_target_again_changes_nothing(db_session: Session, world: World) -> None:
    first = reporting_target(db_session, world)
    assert reporting_target(db_session, world) == first
    assert count(db_session, ResultTarget) == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"target_value": 12}, "must be below"),
        ({"direction": MetricDirection.HIGHER_IS_BETTER}, "must be above"),
        ({"target_value": 10}, "must differ"),
        ({"target_date": START}, "must be after the start date"),
        ({"metric": "  "}, "the metric is required"),
        ({"current_value": "lots"}, "must be a number"),
    ],
)
def test_bad_target_is_refused_and_nothing_changes(
    db_session: Session, world: World, overrides: dict[str, Any], message: str
) -> None:
    first = reporting_target(db_session, world)
    with pytest.raises(ValidationError, match=message):
        reporting_target(db_session, world, **overrides)
    assert db_session.scalars(select(ResultTarget.id).where(ResultTarget.is_active.is_(True))).all() == [first]


def test_baseline_of_the_target_metric_is_stored_in_its_unit(db_session: Session, world: World) -> None:
    reporting_target(db_session, world)
    view = record_baseline(
        db_session=db_session,
        actor=world.as_consultant,
        client_id=world.client.id,
        captured_on=dt.date(2025, 3, 7),
        as_of=AS_OF,
        value=540,
        unit="minutes/week",
    )
    assert view.metrics["reporting hours"].value == Decimal(9)
    assert view.metrics["reporting hours"].unit == "hours/week"
    more = record_baseline(
        db_session=db_session,
        actor=world.as_consultant,
        client_id=world.client.id,
        captured_on=dt.date(2025, 3, 7),
        as_of=AS_OF,
        metrics={
            "Reporting Hours": {"value": 10, "unit": "hours/week"},
            "errors per report": {"value": 4, "unit": "errors"},
        },
    )
    assert more.id == view.id  # one snapshot per day, corrected and extended
    assert set(more.metrics) == {"reporting hours", "errors per report"}
    assert more.metrics["reporting hours"].value == Decimal(10)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "either the baseline metrics"),
        ({"value": 9, "metrics": {"x": {"value": 1, "unit": "u"}}}, "either the baseline metrics"),
        ({"value": 9, "unit": "hours/month"}, "'hours/month' to 'hours/week'"),
        ({"metrics": {"x": {"unit": "u"}}}, "needs a value"),
        ({"value": 9, "captured_on": dt.date(2025, 5, 1)}, "in the future"),
    ],
)
def test_bad_baseline_is_refused(db_session: Session, world: World, kwargs: dict[str, Any], message: str) -> None:
    reporting_target(db_session, world)
    arguments: dict[str, Any] = {"captured_on": dt.date(2025, 3, 7), **kwargs}
    with pytest.raises(ValidationError, match=message):
        record_baseline(
            db_session=db_session, actor=world.as_consultant, client_id=world.client.id, as_of=AS_OF, **arguments
        )
    assert count(db_session, BaselineSnapshot) == 0


def entry(session: Session, world: World, value: Any, unit: str = "hours/week", **kwargs: Any) -> OutcomeEntryRecorded:
    arguments: dict[str, Any] = {"week_start": dt.date(2025, 3, 13), **kwargs}
    return add_outcome_entry(
        db_session=session,
        actor=world.as_consultant,
        client_id=world.client.id,
        value=value,
        unit=unit,
        as_of=AS_OF,
        **arguments,
    )


def test_outcome_entry_goes_to_the_monday_in_the_target_unit(db_session: Session, world: World) -> None:
    reporting_target(db_session, world)
    recorded = entry(db_session, world, 450, "minutes/week")  # a Thursday
    assert recorded.entry.week_start == dt.date(2025, 3, 10)
    assert recorded.entry.value == Decimal("7.5")
    assert recorded.entry.unit == "hours/week"
    assert recorded.entry.metric == "reporting hours"
    assert recorded.converted
    assert recorded.entry.notes == "entered as 450 minutes/week"


def test_outcome_entry_in_an_unconvertible_unit_is_refused_naming_both(db_session: Session, world: World) -> None:
    reporting_target(db_session, world)
    with pytest.raises(ValidationError) as raised:
        entry(db_session, world, 30, "hours/month")
    assert "'hours/month'" in str(raised.value)
    assert "'hours/week'" in str(raised.value)
    assert count(db_session, OutcomeEntry) == 0


def test_outcome_entry_refusals(db_session: Session, world: World) -> None:
    with pytest.raises(ValidationError, match="no result target yet"):
        entry(db_session, world, 8)
    reporting_target(db_session, world)
    with pytest.raises(ValidationError, match="not 'cost'"):
        entry(db_session, world, 8, metric="cost")
    with pytest.raises(ValidationError, match="in the future"):
        entry(db_session, world, 8, week_start=dt.date(2025, 4, 21))
    assert count(db_session, OutcomeEntry) == 0


def test_second_entry_for_a_week_corrects_it(db_session: Session, world: World) -> None:
    reporting_target(db_session, world)
    first = entry(db_session, world, 8)
    again = entry(db_session, world, 8, metric="Reporting Hours")
    corrected = entry(db_session, world, 7)
    assert first.entry.id == again.entry.id == corrected.entry.id
    assert again.previous_value is None
    assert corrected.previous_value == Decimal(8)
    assert corrected.entry.value == Decimal(7)
    assert count(db_session, OutcomeEntry) == 1
    audits = db_session.scalars(
        select(AuditLog.action).where(AuditLog.entity_type == "outcome_entry").order_by(AuditLog.id)
    ).all()
    assert audits == ["create", "update"]


def test_progress_for_a_lower_is_better_metric(db_session: Session, world: World) -> None:
    target_id = reporting_target(db_session, world)
    record_baseline(
        db_session=db_session,
        actor=world.as_consultant,
        client_id=world.client.id,
        captured_on=dt.date(2025, 3, 7),
        as_of=AS_OF,
        value=10,
    )
    entry(db_session, world, 8, week_start=dt.date(2025, 3, 17))
    latest = entry(db_session, world, 6, week_start=dt.date(2025, 4, 7))
    entry(db_session, world, 1, week_start=dt.date(2025, 4, 14))  # this week: still counts on as_of
    data = get_success_data(
        db_session=db_session, actor=world.as_csm, client_id=world.client.id, as_of=dt.date(2025, 4, 13)
    )
    progress = data.progress
    assert progress is not None
    assert (progress.target_id, progress.latest_entry_id, progress.baseline_source) == (
        target_id,
        latest.entry.id,
        "baseline",
    )
    assert progress.baseline_value == Decimal(10)
    assert progress.latest_value == Decimal(6)
    assert progress.absolute_change == Decimal(-4)
    assert progress.percent_change == Decimal("-40.0")
    assert progress.progress == 0.5
    assert progress.expected_progress == pytest.approx(41 / 70, abs=1e-4)
    assert progress.status is OutcomeStatus.ON_TRACK
    assert [e.value for e in data.outcome_entries] == [Decimal(8), Decimal(6)]
    assert data.source_ids["outcome_entries"] == [e.id for e in data.outcome_entries]


def test_progress_status_at_risk_and_achieved(db_session: Session, world: World) -> None:
    reporting_target(
        db_session,
        world,
        metric="orders per day",
        unit="orders",
        direction="higher_is_better",
        current_value=100,
        target_value=200,
    )
    entry(db_session, world, 110, "orders", week_start=dt.date(2025, 4, 7))
    data = get_success_data(db_session=db_session, actor=world.as_csm, client_id=world.client.id, as_of=AS_OF)
    assert data.progress is not None
    assert data.progress.baseline_source == "target"  # no baseline yet: the target's current value stands in
    assert data.progress.progress == pytest.approx(0.1)
    assert data.progress.status is OutcomeStatus.AT_RISK
    entry(db_session, world, "0.2", "thousand orders", week_start=dt.date(2025, 4, 14))
    data = get_success_data(db_session=db_session, actor=world.as_csm, client_id=world.client.id, as_of=AS_OF)
    assert data.progress is not None
    assert (data.progress.latest_value, data.progress.progress) == (Decimal(200), 1.0)
    assert data.progress.status is OutcomeStatus.ACHIEVED


def test_no_entries_means_no_data(db_session: Session, world: World) -> None:
    reporting_target(db_session, world)
    data = get_success_data(db_session=db_session, actor=world.as_csm, client_id=world.client.id, as_of=AS_OF)
    assert data.progress is not None
    assert data.progress.status is OutcomeStatus.NO_DATA
    assert data.progress.progress is None


def test_journal_interventions_risks_feedback(db_session: Session, world: World) -> None:
    actor, client_id = world.as_consultant, world.client.id
    late = log_intervention(
        db_session=db_session,
        actor=actor,
        client_id=client_id,
        kind=InterventionKind.PROCESS,
        title="Intake checklist",
        occurred_on=dt.date(2025, 4, 1),
        as_of=AS_OF,
    )
    early = log_intervention(
        db_session=db_session,
        actor=actor,
        client_id=client_id,
        kind="automation",
        title="Nightly build",
        occurred_on=dt.date(2025, 3, 20),
        as_of=AS_OF,
    )
    risk = add_risk(
        db_session=db_session,
        actor=actor,
        client_id=client_id,
        description="API keys missing",
        severity="High",
        as_of=AS_OF,
    )
    with pytest.raises(ValidationError, match="resolution"):
        resolve_risk(db_session=db_session, actor=actor, risk_id=risk.id, resolution=" ", now=NOW)
    resolved = resolve_risk(db_session=db_session, actor=actor, risk_id=risk.id, resolution="Keys issued", now=NOW)
    assert (resolved.status, resolved.resolved_at, resolved.severity) == (RiskStatus.RESOLVED, NOW, "high")
    assert (
        resolve_risk(db_session=db_session, actor=actor, risk_id=risk.id, resolution="Keys issued", now=NOW) == resolved
    )
    with pytest.raises(ConflictError):
        resolve_risk(db_session=db_session, actor=actor, risk_id=risk.id, resolution="Other", now=NOW)
    feedback = log_feedback(
        db_session=db_session,
        actor=actor,
        client_id=client_id,
        response="Much faster now",
        contact_id=world.contact.id,
        sentiment="Positive",
        as_of=AS_OF,
    )
    assert (feedback.contact_name, feedback.sentiment) == ("Dana Reyes", "positive")
    assert feedback.question == "What still feels slow or confusing?"
    data = get_success_data(db_session=db_session, actor=world.as_csm, client_id=client_id, as_of=AS_OF)
    assert [i.id for i in data.interventions] == [early.id, late.id]
    assert [r.id for r in data.risks] == [risk.id]
    assert [f.id for f in data.feedback] == [feedback.id]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ("intervention_kind", "unknown intervention kind"),
        ("risk_severity", "unknown severity"),
        ("feedback_sentiment", "unknown sentiment"),
        ("feedback_contact", "no contact"),
        ("intervention_future", "in the future"),
    ],
)
def test_journal_refusals(db_session: Session, world: World, factory: Factory, call: str, message: str) -> None:
    actor, client_id = world.as_consultant, world.client.id
    stranger = factory.contact(factory.client(world.workspace))
    calls: dict[str, Callable[[], object]] = {
        "intervention_kind": lambda: log_intervention(
            db_session=db_session,
            actor=actor,
            client_id=client_id,
            kind="magic",
            title="x",
            occurred_on=AS_OF,
            as_of=AS_OF,
        ),
        "intervention_future": lambda: log_intervention(
            db_session=db_session,
            actor=actor,
            client_id=client_id,
            kind=InterventionKind.WORKFLOW,
            title="x",
            occurred_on=AS_OF + dt.timedelta(days=1),
            as_of=AS_OF,
        ),
        "risk_severity": lambda: add_risk(
            db_session=db_session, actor=actor, client_id=client_id, description="x", severity="dire", as_of=AS_OF
        ),
        "feedback_sentiment": lambda: log_feedback(
            db_session=db_session, actor=actor, client_id=client_id, response="x", sentiment="meh", as_of=AS_OF
        ),
        "feedback_contact": lambda: log_feedback(
            db_session=db_session, actor=actor, client_id=client_id, response="x", contact_id=stranger.id, as_of=AS_OF
        ),
    }
    before = count(db_session, AuditLog)
    with pytest.raises((ValidationError, NotFoundError), match=message):
        calls[call]()
    assert count(db_session, AuditLog) == before


def test_scoping_consultant_csm_and_other_tenant(db_session: Session, world: World) -> None:
    reporting_target(db_session, world)
    other_consultant = Actor.from_user(world.other_consultant)
    with pytest.raises(AccessDeniedError):
        get_success_data(db_session=db_session, actor=other_consultant, client_id=world.client.id, as_of=AS_OF)
    with pytest.raises(AccessDeniedError):
        reporting_target(db_session, world, actor=other_consultant, target_value=1)
    with pytest.raises(NotFoundError):
        get_success_data(db_session=db_session, actor=world.outsider, client_id=world.client.id, as_of=AS_OF)
    data = get_success_data(db_session=db_session, actor=world.as_csm, client_id=world.client.id, as_of=AS_OF)
    assert data.target is not None
    risk = add_risk(db_session=db_session, actor=world.as_csm, client_id=world.client.id, description="x", as_of=AS_OF)
    with pytest.raises(NotFoundError):
        resolve_risk(db_session=db_session, actor=world.outsider, risk_id=risk.id, resolution="done", now=NOW)
    with pytest.raises(AccessDeniedError):
        resolve_risk(db_session=db_session, actor=other_consultant, risk_id=risk.id, resolution="done", now=NOW)


def test_every_write_is_audited_with_after_state(db_session: Session, world: World) -> None:
    reporting_target(db_session, world)
    record_baseline(
        db_session=db_session,
        actor=world.as_consultant,
        client_id=world.client.id,
        captured_on=START,
        as_of=AS_OF,
        value=10,
    )
    entry(db_session, world, 8)
    rows = db_session.execute(select(AuditLog.entity_type, AuditLog.actor_user_id, AuditLog.after)).all()
    assert {row.entity_type for row in rows} == {"result_target", "baseline_snapshot", "outcome_entry"}
    assert {row.actor_user_id for row in rows} == {world.consultant.id}
    assert all(row.after for row in rows)
