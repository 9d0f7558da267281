"""The alert engine on a real database: raise, refresh without duplicates, auto-resolve, respect dismissals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from domain.alerts.engine import evaluate_alerts
from domain.alerts.models import Alert
from domain.alerts.schemas import AlertRunReport
from domain.alerts.settings import update_alert_settings
from domain.audit import AuditLog
from domain.clients.models import Client
from domain.enums import (
    AlertStatus,
    AlertType,
    ContactRole,
    DeliverableStatus,
    InvoiceStatus,
    LifecycleStatus,
    Role,
)
from domain.scoring.models import ScoreConfig
from domain.seasonality import set_slow_months
from domain.staff.models import Workspace
from tests.factories import Factory

T = AlertType
AS_OF = dt.date(2025, 6, 16)
NOW = dt.datetime(2025, 6, 16, 9, 0, tzinfo=dt.UTC)


def evaluate(session: Session, workspace: Workspace, *, days_later: int = 0, **kwargs: Any) -> AlertRunReport:
    later = dt.timedelta(days=days_later)
    return evaluate_alerts(
        db_session=session, workspace_id=workspace.id, as_of=AS_OF + later, now=NOW + later, **kwargs
    )


def alerts_of(session: Session, client: Client, alert_type: AlertType | None = None) -> list[Alert]:
    query = select(Alert).where(Alert.client_id == client.id).order_by(Alert.id)
    if alert_type is not None:
        query = query.where(Alert.alert_type == alert_type)
    return list(session.scalars(query))


def open_types(session: Session, client: Client) -> set[AlertType]:
    return {a.alert_type for a in alerts_of(session, client) if a.status is AlertStatus.NEW}


def event_at(factory: Factory, client: Client, moment: dt.datetime, user_ref: str = "u-1") -> None:
    factory.engagement_event(
        client, occurred_at=moment, occurred_on=moment.date(), occurred_hour=moment.hour, user_ref=user_ref
    )


@pytest.fixture
def workspace(factory: Factory) -> Workspace:
    return factory.workspace()


@pytest.fixture
def config(factory: Factory, workspace: Workspace) -> ScoreConfig:
    return factory.score_config(workspace)


def troubled_client(factory: Factory, workspace: Workspace, config: ScoreConfig) -> Client:
    """A client with a reason for most alert types at once."""
    client = factory.client(workspace, next_renewal_date=AS_OF + dt.timedelta(days=30), licensed_user_count=100)
    for days_back, score in ((0, 50.0), (7, 62.0), (30, 85.0)):
        factory.health_snapshot(client, config, day=AS_OF - dt.timedelta(days=days_back), overall_score=score)
    champion = factory.contact(client, role=ContactRole.CHAMPION, platform_user_ref="champ")
    event_at(factory, client, NOW - dt.timedelta(days=25), user_ref="champ")  # champion's last login: 25 days ago
    event_at(factory, client, NOW - dt.timedelta(days=4))
    factory.deliverable(champion, status=DeliverableStatus.BLOCKED, notes="Waiting for SSO details")
    factory.payment(factory.proposal(client), due_date=AS_OF - dt.timedelta(days=5))
    factory.invoice(client, number="INV-1", issued_on=AS_OF - dt.timedelta(40), due_date=AS_OF - dt.timedelta(10))
    factory.survey_response(client, score=3, responded_at=NOW - dt.timedelta(days=2))
    return client


def test_engine_raises_alerts_from_the_database(
    db_session: Session, factory: Factory, workspace: Workspace, config: ScoreConfig
) -> None:
    client = troubled_client(factory, workspace, config)
    report = evaluate(db_session, workspace)
    assert open_types(db_session, client) == {
        T.HEALTH_DROP,
        T.SCORE_DROP,
        T.KEY_USER_INACTIVE,
        T.CHAMPION_RISK,
        T.ZERO_ACTIVITY,
        T.DELIVERABLE_BLOCKED,
        T.PAYMENT_OVERDUE,
        T.PAYMENT_ISSUE,
        T.NPS_DETRACTOR,
        T.RENEWAL_APPROACHING,
    }
    assert report.created == len(report.created_alert_ids) == 10
    score_drop = alerts_of(db_session, client, T.SCORE_DROP)[0]
    assert (score_drop.severity, score_drop.trigger_value) == ("CRITICAL", "35")
    assert alerts_of(db_session, client, T.PAYMENT_ISSUE)[0].subject_key == "INV-1"
    assert alerts_of(db_session, client, T.RENEWAL_APPROACHING)[0].subject_key == "renewal-30"
    assert all(alert.created_at == NOW for alert in alerts_of(db_session, client))


def test_usage_alerts_read_the_daily_rollups(db_session: Session, factory: Factory, workspace: Workspace) -> None:
    client = factory.client(workspace, licensed_user_count=100, licensed_modules=["Core"])
    factory.feature(workspace, key="reports", module="Core")
    for back in range(60):
        day = AS_OF - dt.timedelta(days=back)
        dau = 2 if back < 7 else 10
        counts = {"reports": 3} if back >= 30 else {}
        factory.usage_rollup(
            client, day=day, daily_active_users=dau, weekly_active_users=12, monthly_active_users=20,
            total_actions=50, feature_counts=counts,
        )  # fmt: skip
    evaluate(db_session, workspace)
    assert {T.USAGE_DECLINE, T.CONTRACT_UTILIZATION_LOW, T.FEATURE_ABANDONED} <= open_types(db_session, client)
    decline = alerts_of(db_session, client, T.USAGE_DECLINE)[0]
    assert "averaged 2 over the last 7 days against 10" in decline.description
    assert alerts_of(db_session, client, T.FEATURE_ABANDONED)[0].subject_key == "reports"


def test_usage_decline_respects_the_tenants_seasonality(
    db_session: Session, factory: Factory, workspace: Workspace
) -> None:
    vp = factory.actor(factory.user(workspace, Role.VP_CLIENT_SUCCESS))
    photographer = factory.client(workspace, segment="Photographers")
    dj = factory.client(workspace, segment="DJs")
    for client in (photographer, dj):
        for back in range(37):
            dau = 6 if back < 7 else 10  # 40% down on the 30 days before
            factory.usage_rollup(client, day=AS_OF - dt.timedelta(days=back), daily_active_users=dau,
                                 weekly_active_users=12, monthly_active_users=20)  # fmt: skip
    set_slow_months(db_session=db_session, actor=vp, segment="Photographers", months=[6], factor=0.7)
    evaluate(db_session, workspace)
    assert alerts_of(db_session, photographer, T.USAGE_DECLINE) == []  # June is slow for them: 7 expected
    assert len(alerts_of(db_session, dj, T.USAGE_DECLINE)) == 1

    # Compared with a May that was slow too, June's level is no excuse.
    set_slow_months(db_session=db_session, actor=vp, segment="Photographers", months=[5, 6], factor=0.7)
    evaluate(db_session, workspace)
    assert len(alerts_of(db_session, photographer, T.USAGE_DECLINE)) == 1


def test_rerunning_creates_no_duplicates_and_refreshes_values(
    db_session: Session, factory: Factory, workspace: Workspace, config: ScoreConfig
) -> None:
    client = troubled_client(factory, workspace, config)
    first = evaluate(db_session, workspace)
    again = evaluate(db_session, workspace)
    assert (again.created, again.updated, again.unchanged) == (0, 0, first.created)
    next_day = evaluate(db_session, workspace, days_later=1)
    assert next_day.created == 0
    invoice_alerts = alerts_of(db_session, client, T.PAYMENT_ISSUE)
    assert len(invoice_alerts) == 1
    assert invoice_alerts[0].trigger_value == "11"  # one day later, one more day overdue
    assert invoice_alerts[0].updated_at == NOW + dt.timedelta(days=1)
    assert invoice_alerts[0].created_at == NOW


def test_an_acknowledged_alert_that_gets_worse_is_new_again(
    db_session: Session, factory: Factory, workspace: Workspace, config: ScoreConfig
) -> None:
    client = factory.client(workspace)
    factory.health_snapshot(client, config, day=AS_OF - dt.timedelta(days=30), overall_score=80.0)
    factory.health_snapshot(client, config, day=AS_OF, overall_score=58.0)
    evaluate(db_session, workspace)
    (alert,) = alerts_of(db_session, client, T.SCORE_DROP)
    alert.status, alert.acknowledged_at = AlertStatus.ACKNOWLEDGED, NOW
    db_session.flush()
    assert evaluate(db_session, workspace).escalated == 0  # same warning: stays acknowledged
    factory.health_snapshot(client, config, day=AS_OF + dt.timedelta(days=1), overall_score=45.0)
    factory.health_snapshot(client, config, day=AS_OF - dt.timedelta(days=29), overall_score=80.0)
    report = evaluate(db_session, workspace, days_later=1)
    assert (report.escalated, alert.severity, alert.status) == (1, "CRITICAL", AlertStatus.NEW)


def test_alert_resolves_itself_when_its_condition_ends(
    db_session: Session, factory: Factory, workspace: Workspace
) -> None:
    client = factory.client(workspace)
    invoice = factory.invoice(client, issued_on=AS_OF - dt.timedelta(40), due_date=AS_OF - dt.timedelta(10))
    evaluate(db_session, workspace)
    invoice.status, invoice.paid_on = InvoiceStatus.PAID, AS_OF
    db_session.flush()
    report = evaluate(db_session, workspace, days_later=1)
    (alert,) = alerts_of(db_session, client, T.PAYMENT_ISSUE)
    assert report.resolved == 1
    assert alert.status is AlertStatus.RESOLVED
    assert alert.resolved_at == NOW + dt.timedelta(days=1)
    assert "no longer holds" in (alert.resolution_notes or "")
    audit = db_session.scalars(select(AuditLog).where(AuditLog.entity_id == str(alert.id)).order_by(AuditLog.id)).all()
    assert [(row.action, row.actor_user_id) for row in audit] == [("create", None), ("resolve", None)]


def test_alerts_stay_open_when_today_has_no_data_to_judge(
    db_session: Session, factory: Factory, workspace: Workspace, config: ScoreConfig
) -> None:
    client = factory.client(workspace)
    factory.health_snapshot(client, config, day=AS_OF, overall_score=60.0)
    factory.health_snapshot(client, config, day=AS_OF - dt.timedelta(days=7), overall_score=75.0)
    evaluate(db_session, workspace)
    evaluate(db_session, workspace, days_later=1)  # tomorrow's scores are not computed yet
    assert [a.status for a in alerts_of(db_session, client, T.HEALTH_DROP)] == [AlertStatus.NEW]


def test_zero_activity_escalation_resolves_inactivity(
    db_session: Session, factory: Factory, workspace: Workspace
) -> None:
    client = factory.client(workspace)
    event_at(factory, client, NOW - dt.timedelta(hours=50))
    evaluate(db_session, workspace)
    evaluate(db_session, workspace, days_later=1)
    (inactivity,) = alerts_of(db_session, client, T.INACTIVITY)
    assert inactivity.status is AlertStatus.RESOLVED
    assert "escalated to ZERO_ACTIVITY" in (inactivity.resolution_notes or "")
    assert [a.status for a in alerts_of(db_session, client, T.ZERO_ACTIVITY)] == [AlertStatus.NEW]


def test_dismissed_alert_is_not_raised_again_while_its_condition_lasts(
    db_session: Session, factory: Factory, workspace: Workspace
) -> None:
    client = factory.client(workspace)
    blocked = factory.deliverable(factory.contact(client), status=DeliverableStatus.BLOCKED, notes="No access")
    evaluate(db_session, workspace)
    (alert,) = alerts_of(db_session, client, T.DELIVERABLE_BLOCKED)
    alert.status, alert.dismissed_at = AlertStatus.DISMISSED, NOW
    db_session.flush()

    assert evaluate(db_session, workspace, days_later=1).suppressed == 1
    assert len(alerts_of(db_session, client, T.DELIVERABLE_BLOCKED)) == 1

    blocked.status = DeliverableStatus.IN_PROGRESS
    db_session.flush()
    evaluate(db_session, workspace, days_later=2)
    assert alert.status is AlertStatus.DISMISSED
    assert alert.resolved_at == NOW + dt.timedelta(days=2)  # the dismissed event is over

    blocked.status = DeliverableStatus.BLOCKED
    db_session.flush()
    evaluate(db_session, workspace, days_later=3)
    statuses = [a.status for a in alerts_of(db_session, client, T.DELIVERABLE_BLOCKED)]
    assert statuses == [AlertStatus.DISMISSED, AlertStatus.NEW]  # a new blockage is a new event


def test_snoozed_alert_comes_back_as_new_after_its_time(
    db_session: Session, factory: Factory, workspace: Workspace
) -> None:
    client = factory.client(workspace)
    factory.invoice(client, issued_on=AS_OF - dt.timedelta(40), due_date=AS_OF - dt.timedelta(10))
    evaluate(db_session, workspace)
    (alert,) = alerts_of(db_session, client)
    alert.status, alert.snoozed_until = AlertStatus.SNOOZED, NOW + dt.timedelta(days=1)
    db_session.flush()
    assert evaluate(db_session, workspace).unsnoozed == 0
    assert alert.status is AlertStatus.SNOOZED
    report = evaluate(db_session, workspace, days_later=1)
    assert (report.unsnoozed, report.created) == (1, 0)
    assert (alert.status, alert.snoozed_until) == (AlertStatus.NEW, None)


def test_client_override_and_disabled_type(
    db_session: Session, factory: Factory, workspace: Workspace, config: ScoreConfig
) -> None:
    vp = factory.actor(factory.user(workspace, Role.VP_CLIENT_SUCCESS))
    strict, relaxed = factory.client(workspace), factory.client(workspace)
    for client in (strict, relaxed):
        factory.health_snapshot(client, config, day=AS_OF, overall_score=60.0)
        factory.health_snapshot(client, config, day=AS_OF - dt.timedelta(days=7), overall_score=72.0)
        factory.invoice(client, issued_on=AS_OF - dt.timedelta(40), due_date=AS_OF - dt.timedelta(10))
    evaluate(db_session, workspace)
    assert {T.HEALTH_DROP, T.PAYMENT_ISSUE} <= open_types(db_session, relaxed)

    update_alert_settings(
        db_session=db_session,
        actor=vp,
        now=NOW,
        client_id=relaxed.id,
        enabled={"PAYMENT_ISSUE": False},
        thresholds={"HEALTH_DROP": {"points": 15}},
    )
    evaluate(db_session, workspace, days_later=0)
    assert {T.HEALTH_DROP, T.PAYMENT_ISSUE} <= open_types(db_session, strict)
    assert not {T.HEALTH_DROP, T.PAYMENT_ISSUE} & open_types(db_session, relaxed)
    (turned_off,) = alerts_of(db_session, relaxed, T.PAYMENT_ISSUE)
    assert "turned off" in (turned_off.resolution_notes or "")


def test_workspace_defaults_apply_to_every_client(db_session: Session, factory: Factory, workspace: Workspace) -> None:
    vp = factory.actor(factory.user(workspace, Role.ADMIN))
    client = factory.client(workspace)
    factory.invoice(client, issued_on=AS_OF - dt.timedelta(40), due_date=AS_OF - dt.timedelta(3))
    update_alert_settings(db_session=db_session, actor=vp, now=NOW, thresholds={"PAYMENT_ISSUE": {"grace_days": 5}})
    evaluate(db_session, workspace)
    assert alerts_of(db_session, client) == []


def test_churned_clients_are_not_watched(db_session: Session, factory: Factory, workspace: Workspace) -> None:
    client = factory.client(workspace)
    factory.invoice(client, issued_on=AS_OF - dt.timedelta(40), due_date=AS_OF - dt.timedelta(10))
    evaluate(db_session, workspace)
    client.lifecycle_status = LifecycleStatus.CHURNED
    db_session.flush()
    evaluate(db_session, workspace, days_later=1)
    (alert,) = alerts_of(db_session, client)
    assert alert.status is AlertStatus.RESOLVED
    assert "no longer watched" in (alert.resolution_notes or "")


def test_evaluation_stays_inside_its_workspace_and_client_list(
    db_session: Session, factory: Factory, workspace: Workspace
) -> None:
    other_workspace = factory.workspace()
    ours, also_ours, theirs = factory.client(workspace), factory.client(workspace), factory.client(other_workspace)
    for client in (ours, also_ours, theirs):
        factory.invoice(client, issued_on=AS_OF - dt.timedelta(40), due_date=AS_OF - dt.timedelta(10))
    report = evaluate(db_session, workspace, client_ids=[ours.id])
    assert report.clients == 1
    assert [len(alerts_of(db_session, c)) for c in (ours, also_ours, theirs)] == [1, 0, 0]


@contextmanager
def count_queries(session: Session) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_evaluation_is_set_based(
    db_session: Session, factory: Factory, workspace: Workspace, config: ScoreConfig
) -> None:
    troubled_client(factory, workspace, config)
    with count_queries(db_session) as few:
        evaluate(db_session, workspace)
    for _ in range(4):
        troubled_client(factory, workspace, config)
    with count_queries(db_session) as many:
        evaluate(db_session, workspace)
    selects = [statement for statement in many if statement.lstrip().upper().startswith("SELECT")]
    assert len(selects) == len([s for s in few if s.lstrip().upper().startswith("SELECT")])
    assert db_session.scalar(select(func.count()).select_from(Alert)) == 50
