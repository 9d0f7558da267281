"""The alert lifecycle on one row: which transitions are allowed and what each one sets. No queries.

NEW -> ACKNOWLEDGED | SNOOZED | DISMISSED | RESOLVED; ACKNOWLEDGED and SNOOZED likewise. DISMISSED and
RESOLVED are final. A snooze whose time has passed counts as NEW again. Repeating the state an alert is
already in (acknowledge twice, dismiss twice) changes nothing, so a retried request is harmless.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from domain.alerts.models import Alert
from domain.alerts.schemas import AlertView
from domain.enums import AlertSeverity, AlertStatus
from domain.errors import ValidationError

MAX_SNOOZE = dt.timedelta(days=365)
SEVERITY_ORDER = (
    AlertSeverity.CRITICAL,
    AlertSeverity.HIGH,
    AlertSeverity.MEDIUM,
    AlertSeverity.LOW,
    AlertSeverity.INFO,
)
_FINAL = (AlertStatus.DISMISSED, AlertStatus.RESOLVED)


def effective_status(alert: Alert, now: dt.datetime) -> AlertStatus:
    """The status as of `now`: a snooze that has run out is NEW."""
    if alert.status is AlertStatus.SNOOZED and alert.snoozed_until is not None and alert.snoozed_until <= now:
        return AlertStatus.NEW
    return alert.status


def wake_if_due(alert: Alert, now: dt.datetime) -> bool:
    """Persist a run-out snooze as NEW; True when the row changed."""
    if alert.status is not AlertStatus.SNOOZED or effective_status(alert, now) is not AlertStatus.NEW:
        return False
    alert.status, alert.snoozed_until, alert.updated_at = AlertStatus.NEW, None, now
    return True


def acknowledge(alert: Alert, *, user_id: int, now: dt.datetime) -> bool:
    if _current(alert, now, "acknowledge") is AlertStatus.ACKNOWLEDGED:
        return False
    alert.status, alert.snoozed_until = AlertStatus.ACKNOWLEDGED, None
    alert.acknowledged_at, alert.acknowledged_by_id, alert.updated_at = now, user_id, now
    return True


def snooze(alert: Alert, *, until: dt.datetime, now: dt.datetime) -> bool:
    _current(alert, now, "snooze")
    if until.tzinfo is None:
        raise ValidationError("snooze until a time with a timezone")
    if until <= now:
        raise ValidationError("snooze until a time in the future")
    if until - now > MAX_SNOOZE:
        raise ValidationError("an alert can be snoozed for a year at most")
    alert.status, alert.snoozed_until, alert.updated_at = AlertStatus.SNOOZED, until, now
    return True


def dismiss(alert: Alert, *, user_id: int, now: dt.datetime) -> bool:
    if alert.status is AlertStatus.DISMISSED:
        return False
    _current(alert, now, "dismiss")
    alert.status, alert.snoozed_until = AlertStatus.DISMISSED, None
    alert.dismissed_at, alert.dismissed_by_id, alert.updated_at = now, user_id, now
    return True


def resolve(alert: Alert, *, notes: str, now: dt.datetime) -> bool:
    _current(alert, now, "resolve")
    if not notes.strip():
        raise ValidationError("say what resolved the alert (resolution notes are required)")
    alert.status, alert.snoozed_until = AlertStatus.RESOLVED, None
    alert.resolved_at, alert.resolution_notes, alert.updated_at = now, notes.strip(), now
    return True


def _current(alert: Alert, now: dt.datetime, verb: str) -> AlertStatus:
    status = effective_status(alert, now)
    if status in _FINAL:
        raise ValidationError(f"cannot {verb} alert {alert.id}: it is already {status.value.lower()}")
    return status


def alert_snapshot(alert: Alert) -> dict[str, Any]:
    """The audited part of an alert, JSON-ready."""
    return {
        "status": str(alert.status),
        "severity": str(alert.severity),
        "title": alert.title,
        "trigger_value": alert.trigger_value,
        "snoozed_until": _iso(alert.snoozed_until),
        "acknowledged_by_id": alert.acknowledged_by_id,
        "dismissed_by_id": alert.dismissed_by_id,
        "resolved_at": _iso(alert.resolved_at),
        "resolution_notes": alert.resolution_notes,
    }


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def to_view(alert: Alert, *, client_name: str, now: dt.datetime) -> AlertView:
    status = effective_status(alert, now)
    return AlertView(
        id=alert.id,
        client_id=alert.client_id,
        client_name=client_name,
        alert_type=alert.alert_type,
        severity=alert.severity,
        status=status,
        subject_key=alert.subject_key,
        title=alert.title,
        description=alert.description,
        trigger_metric=alert.trigger_metric,
        trigger_value=alert.trigger_value,
        trigger_threshold=alert.trigger_threshold,
        related_entity_type=alert.related_entity_type,
        related_entity_id=alert.related_entity_id,
        recommended_action=alert.recommended_action,
        created_at=alert.created_at,
        updated_at=alert.updated_at,
        acknowledged_at=alert.acknowledged_at,
        acknowledged_by_id=alert.acknowledged_by_id,
        snoozed_until=None if status is AlertStatus.NEW else alert.snoozed_until,
        dismissed_at=alert.dismissed_at,
        dismissed_by_id=alert.dismissed_by_id,
        resolved_at=alert.resolved_at,
        resolution_notes=alert.resolution_notes,
    )
