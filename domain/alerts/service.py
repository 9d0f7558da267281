"""Alerts as people use them: list, acknowledge, snooze, dismiss, resolve, and what to notify now.

Every function is scoped by the Actor: another tenant's alert does not exist for them (NotFoundError), an
alert of a client outside their portfolio is refused (AccessDeniedError).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from domain.access import Actor, get_visible_client, visible_clients_clause
from domain.alerts import lifecycle
from domain.alerts.models import Alert, AlertSetting
from domain.alerts.schemas import AlertView
from domain.alerts.settings import load_alert_settings
from domain.alerts.thresholds import in_quiet_hours
from domain.audit import record_audit
from domain.clients.models import Client
from domain.enums import AlertSeverity, AlertStatus
from domain.errors import NotFoundError, ValidationError
from domain.staff.models import User, Workspace

NEEDS_ATTENTION = (AlertStatus.NEW, AlertStatus.ACKNOWLEDGED)
MAX_SNOOZE_DAYS = 90


def list_alerts(
    *,
    db_session: Session,
    actor: Actor,
    now: dt.datetime,
    status: AlertStatus | None = None,
    client_id: int | None = None,
    severity: AlertSeverity | None = None,
) -> list[AlertView]:
    """List alerts of the actor's clients, most severe first, then newest.

    Without a status, the alerts that need attention: NEW (including snoozes that have run out) and
    ACKNOWLEDGED. Pass SNOOZED, DISMISSED or RESOLVED to see those.
    """
    if client_id is not None:
        get_visible_client(db_session, actor, client_id)
    _wake_due_snoozes(db_session, actor, now)
    rank = case(*((Alert.severity == level, n) for n, level in enumerate(lifecycle.SEVERITY_ORDER)))
    query = (
        select(Alert, Client.name)
        .join(Client, Client.id == Alert.client_id)
        .where(visible_clients_clause(actor), Alert.status.in_([status] if status else NEEDS_ATTENTION))
        .order_by(rank, Alert.created_at.desc(), Alert.id.desc())
    )
    if client_id is not None:
        query = query.where(Alert.client_id == client_id)
    if severity is not None:
        query = query.where(Alert.severity == severity)
    return [lifecycle.to_view(alert, client_name=name, now=now) for alert, name in db_session.execute(query)]


def _wake_due_snoozes(session: Session, actor: Actor, now: dt.datetime) -> None:
    due = session.scalars(
        select(Alert)
        .join(Client, Client.id == Alert.client_id)
        .where(visible_clients_clause(actor), Alert.status == AlertStatus.SNOOZED, Alert.snoozed_until <= now)
    ).all()
    for alert in due:
        before = lifecycle.alert_snapshot(alert)
        if lifecycle.wake_if_due(alert, now):
            _audit(session, actor.workspace_id, None, "unsnooze", alert, before)
    if due:
        session.flush()


def acknowledge_alert(*, db_session: Session, actor: Actor, alert_id: int, now: dt.datetime) -> AlertView:
    """Acknowledge an alert: someone is on it."""
    return _transition(
        db_session, actor, alert_id, now, "acknowledge",
        lambda alert: lifecycle.acknowledge(alert, user_id=actor.user_id, now=now),
    )  # fmt: skip


def snooze_alert(
    *,
    db_session: Session,
    actor: Actor,
    alert_id: int,
    now: dt.datetime,
    until: dt.datetime | None = None,
    days: int | None = None,
) -> AlertView:
    """Snooze an alert until a time or for a number of days (seed 004: 1 day, 1 week); it then returns as NEW."""
    if (until is None) == (days is None):
        raise ValidationError("snooze needs either an end time or a number of days, not both")
    if days is not None:
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_SNOOZE_DAYS:
            raise ValidationError(f"snooze for 1 to {MAX_SNOOZE_DAYS} whole days")
        until = now + dt.timedelta(days=days)
    assert until is not None
    return _transition(
        db_session, actor, alert_id, now, "snooze", lambda alert: lifecycle.snooze(alert, until=until, now=now)
    )


def dismiss_alert(*, db_session: Session, actor: Actor, alert_id: int, now: dt.datetime) -> AlertView:
    """Dismiss an alert: it is not raised again for this event while its condition lasts."""
    return _transition(
        db_session, actor, alert_id, now, "dismiss",
        lambda alert: lifecycle.dismiss(alert, user_id=actor.user_id, now=now),
    )  # fmt: skip


def resolve_alert(*, db_session: Session, actor: Actor, alert_id: int, now: dt.datetime, notes: str) -> AlertView:
    """Resolve an alert with a note of what was done; if its condition still holds the engine raises it anew."""
    return _transition(
        db_session, actor, alert_id, now, "resolve", lambda alert: lifecycle.resolve(alert, notes=notes, now=now)
    )


def _transition(
    session: Session, actor: Actor, alert_id: int, now: dt.datetime, action: str, apply: Callable[[Alert], bool]
) -> AlertView:
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise NotFoundError(f"no alert with id {alert_id}")
    client = get_visible_client(session, actor, alert.client_id)  # another tenant's: NotFoundError
    before = lifecycle.alert_snapshot(alert)
    if apply(alert):
        session.flush()
        _audit(session, actor.workspace_id, actor.user_id, action, alert, before)
    return lifecycle.to_view(alert, client_name=client.name, now=now)


def _audit(
    session: Session, workspace_id: int, user_id: int | None, action: str, alert: Alert, before: dict[str, object]
) -> None:
    record_audit(
        session,
        workspace_id=workspace_id,
        actor_user_id=user_id,
        action=action,
        entity_type="alert",
        entity_id=alert.id,
        before=dict(before),
        after=lifecycle.alert_snapshot(alert),
    )


def alerts_to_notify(*, db_session: Session, actor: Actor, now: dt.datetime) -> list[AlertView]:
    """NEW alerts to push to the actor now: none during the tenant's quiet hours, none of muted clients.

    Quiet hours and mutes only hold back notifications; the alerts are recorded and listed as usual.
    """
    settings = load_alert_settings(db_session=db_session, workspace_id=actor.workspace_id, client_ids=[])
    if settings.quiet_hours is not None:
        local = now.astimezone(_timezone_of(db_session, actor)).time()
        if in_quiet_hours(local, *settings.quiet_hours):
            return []
    alerts = list_alerts(db_session=db_session, actor=actor, now=now, status=AlertStatus.NEW)
    muted = set(
        db_session.scalars(
            select(AlertSetting.client_id).where(
                AlertSetting.workspace_id == actor.workspace_id,
                AlertSetting.client_id.in_(sorted({alert.client_id for alert in alerts})),
                AlertSetting.muted_until > now,
            )
        )
    )
    return [alert for alert in alerts if alert.client_id not in muted]


def _timezone_of(session: Session, actor: Actor) -> ZoneInfo:
    """The user's own timezone, else the workspace's, else UTC (an unknown name is not fatal here)."""
    user = session.get(User, actor.user_id)
    workspace = session.get(Workspace, actor.workspace_id)
    for name in (user.timezone if user else None, workspace.timezone if workspace else None):
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")
