"""Alert lifecycle as people use it: transitions, audit, scoping, and notifications versus recording."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.alerts.models import Alert
from domain.alerts.service import (
    acknowledge_alert,
    alerts_to_notify,
    dismiss_alert,
    list_alerts,
    resolve_alert,
    snooze_alert,
)
from domain.alerts.settings import get_alert_settings, mute_client, update_alert_settings
from domain.audit import AuditLog
from domain.clients.models import Client
from domain.enums import AlertSeverity, AlertStatus, AlertType, Role
from domain.errors import AccessDeniedError, NotFoundError, ValidationError
from domain.staff.models import User
from tests.factories import Factory

NOW = dt.datetime(2025, 6, 16, 15, 0, tzinfo=dt.UTC)


@dataclass
class Team:
    csm: Actor
    other_csm: Actor
    vp: Actor
    client: Client
    other_client: Client


@pytest.fixture
def team(factory: Factory) -> Team:
    workspace = factory.workspace()
    csm, other = factory.user(workspace, Role.CSM), factory.user(workspace, Role.CSM)
    vp = factory.user(workspace, Role.VP_CLIENT_SUCCESS)
    return Team(
        csm=factory.actor(csm),
        other_csm=factory.actor(other),
        vp=factory.actor(vp),
        client=factory.client(workspace, csm_user_id=csm.id),
        other_client=factory.client(workspace, csm_user_id=other.id),
    )


def new_alert(factory: Factory, client: Client, minutes_ago: int = 0, **overrides: object) -> Alert:
    moment = NOW - dt.timedelta(minutes=minutes_ago)
    values: dict[str, object] = {"created_at": moment, "updated_at": moment, "subject_key": f"s-{minutes_ago}"}
    return factory.alert(client, **{**values, **overrides})


def audit_rows(session: Session, alert: Alert) -> list[AuditLog]:
    query = select(AuditLog).where(AuditLog.entity_type == "alert", AuditLog.entity_id == str(alert.id))
    return list(session.scalars(query.order_by(AuditLog.id)))


def test_acknowledge_is_audited_and_repeating_it_changes_nothing(
    db_session: Session, factory: Factory, team: Team
) -> None:
    alert = new_alert(factory, team.client)
    view = acknowledge_alert(db_session=db_session, actor=team.csm, alert_id=alert.id, now=NOW)
    assert (view.status, view.acknowledged_at, view.acknowledged_by_id) == (
        AlertStatus.ACKNOWLEDGED,
        NOW,
        team.csm.user_id,
    )
    acknowledge_alert(db_session=db_session, actor=team.csm, alert_id=alert.id, now=NOW)
    (row,) = audit_rows(db_session, alert)
    assert (row.action, row.actor_user_id, row.workspace_id) == (
        "acknowledge",
        team.csm.user_id,
        team.client.workspace_id,
    )
    assert (row.before or {})["status"] == "NEW"
    assert (row.after or {})["status"] == "ACKNOWLEDGED"


@pytest.mark.parametrize("final", [AlertStatus.RESOLVED, AlertStatus.DISMISSED])
def test_final_alerts_cannot_be_acknowledged_snoozed_or_resolved(
    db_session: Session, factory: Factory, team: Team, final: AlertStatus
) -> None:
    alert = new_alert(factory, team.client, status=final, resolved_at=NOW, dismissed_at=NOW)
    for attempt in (
        lambda: acknowledge_alert(db_session=db_session, actor=team.csm, alert_id=alert.id, now=NOW),
        lambda: snooze_alert(db_session=db_session, actor=team.csm, alert_id=alert.id, now=NOW, days=1),
        lambda: resolve_alert(db_session=db_session, actor=team.csm, alert_id=alert.id, now=NOW, notes="done"),
    ):
        with pytest.raises(ValidationError, match="already"):
            attempt()
    assert audit_rows(db_session, alert) == []


def test_dismiss_then_resolve_is_refused_and_dismiss_is_idempotent(
    db_session: Session, factory: Factory, team: Team
) -> None:
    alert = new_alert(factory, team.client)
    view = dismiss_alert(db_session=db_session, actor=team.csm, alert_id=alert.id, now=NOW)
    assert (view.status, view.dismissed_by_id) == (AlertStatus.DISMISSED, team.csm.user_id)
    dismiss_alert(db_session=db_session, actor=team.csm, alert_id=alert.id, now=NOW)
    assert [row.action for row in audit_rows(db_session, alert)] == ["dismiss"]


def test_resolve_needs_notes(db_session: Session, factory: Factory, team: Team) -> None:
    alert = new_alert(factory, team.client)
    with pytest.raises(ValidationError, match="notes"):
        resolve_alert(db_session=db_session, actor=team.csm, alert_id=alert.id, now=NOW, notes="  ")
    view = resolve_alert(db_session=db_session, actor=team.csm, alert_id=alert.id, now=NOW, notes="Called the CFO")
    assert (view.status, view.resolved_at, view.resolution_notes) == (AlertStatus.RESOLVED, NOW, "Called the CFO")


@pytest.mark.parametrize(
    ("until", "days", "message"),
    [
        (None, None, "either"),
        (NOW + dt.timedelta(days=1), 1, "either"),
        (None, 0, "1 to 90"),
        (None, 91, "1 to 90"),
        (NOW - dt.timedelta(minutes=1), None, "future"),
        (NOW + dt.timedelta(days=400), None, "a year"),
    ],
)
def test_bad_snoozes_are_refused(
    db_session: Session, factory: Factory, team: Team, until: dt.datetime | None, days: int | None, message: str
) -> None:
    alert = new_alert(factory, team.client)
    with pytest.raises(ValidationError, match=message):
        snooze_alert(db_session=db_session, actor=team.csm, alert_id=alert.id, now=NOW, until=until, days=days)
    assert alert.status is AlertStatus.NEW


def test_snoozed_alert_comes_back_as_new_after_its_time(db_session: Session, factory: Factory, team: Team) -> None:
    alert = new_alert(factory, team.client)
    view = snooze_alert(db_session=db_session, actor=team.csm, alert_id=alert.id, now=NOW, days=7)
    assert (view.status, view.snoozed_until) == (AlertStatus.SNOOZED, NOW + dt.timedelta(days=7))
    assert list_alerts(db_session=db_session, actor=team.csm, now=NOW + dt.timedelta(days=6)) == []
    snoozed = list_alerts(db_session=db_session, actor=team.csm, now=NOW, status=AlertStatus.SNOOZED)
    assert [v.id for v in snoozed] == [alert.id]

    back = list_alerts(db_session=db_session, actor=team.csm, now=NOW + dt.timedelta(days=7))
    assert [(v.id, v.status) for v in back] == [(alert.id, AlertStatus.NEW)]
    assert (alert.status, alert.snoozed_until) == (AlertStatus.NEW, None)  # persisted, not only displayed
    assert [row.action for row in audit_rows(db_session, alert)] == ["snooze", "unsnooze"]


def test_list_sorts_by_severity_then_newest_and_filters(db_session: Session, factory: Factory, team: Team) -> None:
    low = new_alert(factory, team.client, 1, severity=AlertSeverity.LOW)
    old_high = new_alert(factory, team.client, 30, severity=AlertSeverity.HIGH)
    new_high = new_alert(factory, team.client, 5, severity=AlertSeverity.HIGH)
    critical = new_alert(factory, team.client, 60, severity=AlertSeverity.CRITICAL, alert_type=AlertType.ZERO_ACTIVITY)
    new_alert(factory, team.client, 2, status=AlertStatus.RESOLVED, resolved_at=NOW)
    listed = list_alerts(db_session=db_session, actor=team.csm, now=NOW)
    assert [v.id for v in listed] == [critical.id, new_high.id, old_high.id, low.id]
    assert listed[0].client_name == team.client.name
    high = list_alerts(db_session=db_session, actor=team.csm, now=NOW, severity=AlertSeverity.HIGH)
    assert [v.id for v in high] == [new_high.id, old_high.id]
    assert len(list_alerts(db_session=db_session, actor=team.csm, now=NOW, status=AlertStatus.RESOLVED)) == 1


def test_a_csm_sees_and_acts_only_on_their_own_clients_alerts(
    db_session: Session, factory: Factory, team: Team
) -> None:
    mine, theirs = new_alert(factory, team.client), new_alert(factory, team.other_client)
    assert [v.id for v in list_alerts(db_session=db_session, actor=team.csm, now=NOW)] == [mine.id]
    assert {v.id for v in list_alerts(db_session=db_session, actor=team.vp, now=NOW)} == {mine.id, theirs.id}
    with pytest.raises(AccessDeniedError):
        acknowledge_alert(db_session=db_session, actor=team.csm, alert_id=theirs.id, now=NOW)
    with pytest.raises(AccessDeniedError):
        list_alerts(db_session=db_session, actor=team.csm, now=NOW, client_id=team.other_client.id)
    assert theirs.status is AlertStatus.NEW


def test_another_tenants_alert_does_not_exist(db_session: Session, factory: Factory, team: Team) -> None:
    elsewhere = factory.workspace()
    foreign = new_alert(factory, factory.client(elsewhere))
    admin = factory.actor(factory.user(factory.workspace(), Role.ADMIN))
    for actor in (team.csm, team.vp, admin):
        with pytest.raises(NotFoundError):
            dismiss_alert(db_session=db_session, actor=actor, alert_id=foreign.id, now=NOW)
        assert foreign.id not in {v.id for v in list_alerts(db_session=db_session, actor=actor, now=NOW)}
    with pytest.raises(NotFoundError):
        acknowledge_alert(db_session=db_session, actor=team.csm, alert_id=987654321, now=NOW)


def test_quiet_hours_hold_back_notifications_in_the_users_timezone(
    db_session: Session, factory: Factory, team: Team
) -> None:
    alert = new_alert(factory, team.client)
    update_alert_settings(db_session=db_session, actor=team.vp, now=NOW, quiet_hours=(dt.time(22, 0), dt.time(7, 0)))
    user = db_session.get(User, team.csm.user_id)
    assert user is not None
    user.timezone = "America/New_York"  # UTC-4 in June
    db_session.flush()
    late_evening = dt.datetime(2025, 6, 17, 3, 0, tzinfo=dt.UTC)  # 23:00 in New York
    morning = dt.datetime(2025, 6, 17, 12, 0, tzinfo=dt.UTC)  # 08:00 in New York
    assert alerts_to_notify(db_session=db_session, actor=team.csm, now=late_evening) == []
    assert [v.id for v in list_alerts(db_session=db_session, actor=team.csm, now=late_evening)] == [alert.id]
    assert [v.id for v in alerts_to_notify(db_session=db_session, actor=team.csm, now=morning)] == [alert.id]


def test_muted_clients_are_listed_but_not_notified_until_the_mute_ends(
    db_session: Session, factory: Factory, team: Team
) -> None:
    muted, loud = new_alert(factory, team.client), new_alert(factory, team.other_client)
    mute_client(
        db_session=db_session, actor=team.csm, client_id=team.client.id, now=NOW, until=NOW + dt.timedelta(days=2)
    )
    assert [v.id for v in alerts_to_notify(db_session=db_session, actor=team.vp, now=NOW)] == [loud.id]
    assert {v.id for v in list_alerts(db_session=db_session, actor=team.vp, now=NOW)} == {muted.id, loud.id}
    later = NOW + dt.timedelta(days=2)
    assert {v.id for v in alerts_to_notify(db_session=db_session, actor=team.vp, now=later)} == {muted.id, loud.id}


def test_acknowledged_alerts_are_not_notified_again(db_session: Session, factory: Factory, team: Team) -> None:
    alert = new_alert(factory, team.client)
    acknowledge_alert(db_session=db_session, actor=team.csm, alert_id=alert.id, now=NOW)
    assert alerts_to_notify(db_session=db_session, actor=team.csm, now=NOW) == []


def test_who_may_change_alert_settings(db_session: Session, team: Team) -> None:
    with pytest.raises(AccessDeniedError, match="VP"):
        update_alert_settings(db_session=db_session, actor=team.csm, now=NOW, enabled={"PAYMENT_DUE": False})
    with pytest.raises(AccessDeniedError):
        update_alert_settings(db_session=db_session, actor=team.csm, now=NOW, client_id=team.other_client.id)
    with pytest.raises(ValidationError, match="whole workspace"):
        update_alert_settings(
            db_session=db_session, actor=team.csm, now=NOW, client_id=team.client.id,
            quiet_hours=(dt.time(22), dt.time(7)),
        )  # fmt: skip
    view = update_alert_settings(
        db_session=db_session, actor=team.csm, now=NOW, client_id=team.client.id,
        thresholds={"KEY_USER_INACTIVE": {"days": 21}},
    )  # fmt: skip
    assert view.thresholds[AlertType.KEY_USER_INACTIVE] == {"days": 21}
    assert get_alert_settings(db_session=db_session, actor=team.vp).thresholds[AlertType.KEY_USER_INACTIVE] == {
        "days": 14
    }
    audit = db_session.scalars(select(AuditLog).where(AuditLog.entity_type == "alert_setting")).all()
    assert [(row.action, row.actor_user_id) for row in audit] == [("update", team.csm.user_id)]


def test_removing_an_override_restores_the_inherited_value(db_session: Session, team: Team) -> None:
    update_alert_settings(db_session=db_session, actor=team.vp, now=NOW, thresholds={"HEALTH_DROP": {"points": 15}})
    view = update_alert_settings(db_session=db_session, actor=team.vp, now=NOW, thresholds={"HEALTH_DROP": {}})
    assert view.thresholds[AlertType.HEALTH_DROP] == {"points": 10, "days": 7}
    assert view.overrides["thresholds"] == {}
