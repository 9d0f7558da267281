"""Signals about a client: health status changes between daily snapshots, and alerts with their lifecycle."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session, aliased

from domain.alerts.models import Alert
from domain.clients.models import Client
from domain.enums import HealthStatus
from domain.scoring.models import HealthSnapshot
from domain.staff.models import User
from domain.timeline.rules import at_midnight
from domain.timeline.schemas import TimelineEntry, TimelineKind
from domain.timeline.sources.base import CLIENT_COLUMNS, ClientRef, SourceScope, client_rows, label, make_entry, stream

HEALTH_MODEL = "health"


def health_change_entries(session: Session, scope: SourceScope) -> Iterator[TimelineEntry]:
    """An entry on each day the health status differs from the client's previous snapshot."""
    ordered = (
        select(
            HealthSnapshot.id,
            HealthSnapshot.client_id,
            HealthSnapshot.day,
            HealthSnapshot.overall_score,
            HealthSnapshot.status,
            HealthSnapshot.notable_events,
            HealthSnapshot.created_at,
            func.lag(HealthSnapshot.status)
            .over(partition_by=HealthSnapshot.client_id, order_by=HealthSnapshot.day)
            .label("previous_status"),
            func.lag(HealthSnapshot.overall_score)
            .over(partition_by=HealthSnapshot.client_id, order_by=HealthSnapshot.day)
            .label("previous_score"),
        )
        .where(
            HealthSnapshot.model_key == HEALTH_MODEL,
            HealthSnapshot.client_id.in_(select(Client.id).where(scope.clients)),
        )
        .subquery()
    )
    # Time bounds apply after lag(), so a change at the window's edge still knows the status before it.
    query = (
        select(ordered, *CLIENT_COLUMNS)
        .join(Client, Client.id == ordered.c.client_id)
        .where(
            ordered.c.previous_status.is_not(None),
            ordered.c.previous_status != ordered.c.status,
            *scope.bounds([ordered.c.day], ordered.c.created_at),
        )
        .order_by(ordered.c.id)
    )
    for row in stream(session, query, scope):
        yield _health_change(row)


def _health_change(row: Row[Any]) -> TimelineEntry:
    before, after = HealthStatus(row.previous_status), HealthStatus(row.status)
    score_before, score_after = float(row.previous_score), float(row.overall_score)
    events = list(row.notable_events or [])
    return make_entry(
        TimelineKind.HEALTH_CHANGE,
        "health_snapshot",
        row.id,
        ClientRef.of(row),
        occurred_at=at_midnight(row.day),
        title=f"Health {label(before).lower()} → {label(after).lower()} ({score_before:.0f} → {score_after:.0f})",
        body=[
            f"Health status changed from {label(before).lower()} to {label(after).lower()}; "
            f"score {score_before:.1f} → {score_after:.1f} ({score_after - score_before:+.1f}).",
            "Notable events: " + "; ".join(str(event) for event in events) if events else None,
        ],
        details={
            "status_before": before.value,
            "status_after": after.value,
            "score_before": round(score_before, 1),
            "score_after": round(score_after, 1),
        },
    )


def alert_entries(session: Session, scope: SourceScope) -> Iterator[TimelineEntry]:
    """Raised, then acknowledged / dismissed / resolved when the alert records when that happened.

    Snoozing records only the snooze's end, not when it was done, so it shows on the raised entry instead.
    """
    acknowledger, dismisser = aliased(User), aliased(User)
    rows = client_rows(
        session,
        scope,
        Alert,
        occurred=[Alert.created_at, Alert.acknowledged_at, Alert.dismissed_at, Alert.resolved_at],
        changed=Alert.updated_at,
        extra=[acknowledger.name.label("acknowledged_by"), dismisser.name.label("dismissed_by")],
        outer=[
            (acknowledger, acknowledger.id == Alert.acknowledged_by_id),
            (dismisser, dismisser.id == Alert.dismissed_by_id),
        ],
    )
    for row in rows:
        alert: Alert = row.Alert
        client = ClientRef.of(row)
        yield _raised(alert, client)
        yield from _lifecycle(alert, client, row.acknowledged_by, row.dismissed_by)


def _alert_details(alert: Alert) -> dict[str, str | None]:
    return {"alert_type": alert.alert_type.value, "severity": alert.severity.value, "status": alert.status.value}


def _raised(alert: Alert, client: ClientRef) -> TimelineEntry:
    trigger = (
        f"Trigger: {alert.trigger_metric} = {alert.trigger_value} (threshold {alert.trigger_threshold})"
        if alert.trigger_metric
        else None
    )
    snoozed = f"Snoozed until {alert.snoozed_until:%Y-%m-%d %H:%M} UTC" if alert.snoozed_until else None
    return make_entry(
        TimelineKind.ALERT_RAISED,
        "alert",
        alert.id,
        client,
        occurred_at=alert.created_at,
        title=f"Alert ({label(alert.severity).lower()}): {alert.title}",
        body=[
            alert.title,
            alert.description,
            trigger,
            f"Recommended: {alert.recommended_action}" if alert.recommended_action else None,
            f"Status: {label(alert.status).lower()}",
            snoozed,
        ],
        subtype=alert.alert_type.value,
        details=dict(_alert_details(alert)),
    )


def _lifecycle(
    alert: Alert, client: ClientRef, acknowledged_by: str | None, dismissed_by: str | None
) -> Iterator[TimelineEntry]:
    steps: list[tuple[TimelineKind, dt.datetime | None, int | None, str | None, str | None]] = [
        (TimelineKind.ALERT_ACKNOWLEDGED, alert.acknowledged_at, alert.acknowledged_by_id, acknowledged_by, None),
        (TimelineKind.ALERT_DISMISSED, alert.dismissed_at, alert.dismissed_by_id, dismissed_by, None),
        (TimelineKind.ALERT_RESOLVED, alert.resolved_at, None, None, alert.resolution_notes),
    ]
    for kind, moment, author_id, author_name, notes in steps:
        if moment is None:
            continue
        verb = kind.value.removeprefix("alert_")
        yield make_entry(
            kind,
            "alert",
            alert.id,
            client,
            occurred_at=moment,
            title=f"Alert {verb}: {alert.title}",
            body=[alert.title, f"Alert {verb}" + (f" by {author_name}" if author_name else ""), notes],
            author_id=author_id,
            author_name=author_name,
            subtype=alert.alert_type.value,
            details=dict(_alert_details(alert)),
        )
