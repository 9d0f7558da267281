"""Evaluate every alert rule for a workspace and reconcile the results with the stored alerts.

One open alert per client, type and subject: a condition that still holds refreshes its alert, one that
no longer holds resolves it, and a dismissed alert is not raised again until its condition has cleared.
Run after each score recompute and after ingestion.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from domain.alerts.facts import AlertCandidate
from domain.alerts.lifecycle import SEVERITY_ORDER, alert_snapshot, wake_if_due
from domain.alerts.models import OPEN_ALERT_STATUSES, Alert
from domain.alerts.rules import SUPERSEDES, evaluate_client
from domain.alerts.schemas import AlertRunReport
from domain.alerts.settings import WorkspaceAlertSettings, load_alert_settings
from domain.alerts.signals import gather_alert_inputs
from domain.audit import record_audit
from domain.clients.models import Client
from domain.enums import AlertSeverity, AlertStatus, AlertType

Key = tuple[AlertType, str]
Results = dict[AlertType, list[AlertCandidate] | None]
Change = tuple[str, Alert, dict[str, Any] | None]  # (audit action, alert, audited state before)

# Fields a re-run may refresh on an open alert; the lifecycle fields belong to people.
_REFRESHED = (
    "severity", "title", "description", "trigger_metric", "trigger_value", "trigger_threshold",
    "recommended_action", "related_entity_type", "related_entity_id",
)  # fmt: skip
_LENGTHS = {"title": 300, "trigger_metric": 100, "trigger_value": 100, "trigger_threshold": 100}
_LENGTHS |= {"recommended_action": 500, "related_entity_type": 40, "related_entity_id": 64}


def evaluate_alerts(
    *,
    db_session: Session,
    workspace_id: int,
    as_of: dt.date,
    now: dt.datetime,
    client_ids: Collection[int] | None = None,
) -> AlertRunReport:
    """Raise, refresh and auto-resolve the alerts of every (or the given) client of a workspace."""
    settings = load_alert_settings(db_session=db_session, workspace_id=workspace_id, client_ids=client_ids)
    facts = gather_alert_inputs(
        db_session=db_session,
        workspace_id=workspace_id,
        as_of=as_of,
        now=now,
        client_ids=client_ids,
        health_windows=_health_windows(settings),
        activity_lookback_days=_activity_lookback(settings),
    )
    stored = _stored_alerts(db_session, workspace_id, client_ids)
    run = _Run(as_of, now, AlertRunReport(workspace_id=workspace_id, as_of=as_of, now=now, clients=len(facts)))
    for client_id in sorted(set(facts) | set(stored)):
        inputs = facts.get(client_id)
        effective = settings.for_client(client_id)
        enabled = {t: effective.params(t) for t in AlertType if effective.is_enabled(t)} if inputs else {}
        results = evaluate_client(inputs, enabled) if inputs else {}
        _reconcile(run, client_id, results, stored.get(client_id, []), watched=inputs is not None)
    created = [alert for action, alert, _ in run.changes if action == "create"]
    db_session.add_all(created)
    db_session.flush()
    for action, alert, before in run.changes:
        _audit(db_session, workspace_id, action, alert, before)
    run.report.created_alert_ids = [alert.id for alert in created]
    return run.report


def _health_windows(settings: WorkspaceAlertSettings) -> set[int]:
    days = settings.configured_values(AlertType.HEALTH_DROP, "days")
    return {int(d) for d in days | settings.configured_values(AlertType.SCORE_DROP, "days")}


def _activity_lookback(settings: WorkspaceAlertSettings) -> int:
    longest_hours = max(
        *(float(h) for h in settings.configured_values(AlertType.INACTIVITY, "hours")),
        *(float(d) * 24 for d in settings.configured_values(AlertType.ZERO_ACTIVITY, "days")),
    )
    # Look back well past the longest threshold so a quiet client still shows when it was last seen.
    return max(60, int(longest_hours // 24) + 30)


def _stored_alerts(session: Session, workspace_id: int, client_ids: Collection[int] | None) -> dict[int, list[Alert]]:
    """Open alerts, and dismissed ones whose condition has not cleared yet, grouped by client."""
    query = (
        select(Alert)
        .join(Client, Client.id == Alert.client_id)
        .where(
            Client.workspace_id == workspace_id,
            or_(
                Alert.status.in_(OPEN_ALERT_STATUSES),
                and_(Alert.status == AlertStatus.DISMISSED, Alert.resolved_at.is_(None)),
            ),
        )
        .order_by(Alert.id)
    )
    if client_ids is not None:
        query = query.where(Alert.client_id.in_(list(client_ids)))
    grouped: dict[int, list[Alert]] = defaultdict(list)
    for alert in session.scalars(query):
        grouped[alert.client_id].append(alert)
    return grouped


@dataclass(slots=True)
class _Run:
    """One evaluation's clock, tally and the row changes waiting to be audited."""

    as_of: dt.date
    now: dt.datetime
    report: AlertRunReport
    changes: list[Change] = field(default_factory=list)

    def record(self, action: str, alert: Alert, before: dict[str, Any] | None) -> None:
        self.changes.append((action, alert, before))


def _reconcile(run: _Run, client_id: int, results: Results, alerts: list[Alert], watched: bool) -> None:
    open_by_key = {(a.alert_type, a.subject_key): a for a in alerts if a.status in OPEN_ALERT_STATUSES}
    dismissed = {(a.alert_type, a.subject_key): a for a in alerts if a.status is AlertStatus.DISMISSED}
    for alert in open_by_key.values():
        before = alert_snapshot(alert)
        if wake_if_due(alert, run.now):
            run.report.unsnoozed += 1
            run.record("unsnooze", alert, before)
    holding = _apply_candidates(run, client_id, results, open_by_key, dismissed)
    _close_ended(run, results, holding, watched, open_by_key, dismissed)


def _apply_candidates(
    run: _Run, client_id: int, results: Results, open_by_key: dict[Key, Alert], dismissed: dict[Key, Alert]
) -> set[Key]:
    """Refresh or create the alert of every condition that holds; return the keys that hold."""
    holding: set[Key] = set()
    for candidates in results.values():
        for candidate in candidates or []:
            key = (candidate.alert_type, candidate.subject_key)
            if key in holding:
                continue  # one alert per subject, whatever a rule repeats
            holding.add(key)
            if key in open_by_key:
                _refresh(run, open_by_key[key], candidate)
            elif key in dismissed:
                run.report.suppressed += 1
            else:
                run.record("create", _new_alert(client_id, candidate, run.now), None)
                run.report.created += 1
    return holding


def _close_ended(
    run: _Run,
    results: Results,
    holding: set[Key],
    watched: bool,
    open_by_key: dict[Key, Alert],
    dismissed: dict[Key, Alert],
) -> None:
    """Resolve open alerts whose condition ended; mark dismissed ones whose event is over."""
    for key, alert in open_by_key.items():
        reason = _ended(key, holding, results, watched)
        if reason is not None:
            before = alert_snapshot(alert)
            alert.status, alert.resolved_at, alert.updated_at = AlertStatus.RESOLVED, run.now, run.now
            alert.resolution_notes = f"Resolved automatically on {run.as_of}: {reason}."
            run.record("resolve", alert, before)
            run.report.resolved += 1
    for key, alert in dismissed.items():
        if key[0] in results and _ended(key, holding, results, watched) is not None:
            before = alert_snapshot(alert)
            # The dismissed event is over; the next time the condition holds it is a new event.
            alert.resolved_at, alert.updated_at = run.now, run.now
            alert.resolution_notes = f"Condition cleared on {run.as_of}."
            run.record("clear", alert, before)


def _ended(key: Key, holding: set[Key], results: Results, watched: bool) -> str | None:
    """Why an open alert no longer applies, or None when it still does (or cannot be judged today)."""
    alert_type = key[0]
    if not watched:
        return "the client is no longer watched (prospect or churned)"
    if alert_type not in results:
        return "alerts of this type are turned off for this client"
    if results[alert_type] is None or key in holding:
        return None  # no data to judge by today, or still true
    stronger = [s for s, weaker in SUPERSEDES.items() if weaker is alert_type and results.get(s)]
    if stronger:
        return f"escalated to {stronger[0]}"
    return "the condition no longer holds"


def _refresh(run: _Run, alert: Alert, candidate: AlertCandidate) -> None:
    changed = {name: value for name, value in _fields(candidate).items() if getattr(alert, name) != value}
    if not changed:
        run.report.unchanged += 1
        return
    before = alert_snapshot(alert)
    if _more_severe(candidate.severity, alert.severity) and alert.status is not AlertStatus.NEW:
        # Worse than what was acknowledged or snoozed: it asks for attention (and a notification) again.
        alert.status, alert.snoozed_until = AlertStatus.NEW, None
        run.report.escalated += 1
    for name, value in changed.items():
        setattr(alert, name, value)
    alert.updated_at = run.now
    run.report.updated += 1
    run.record("update", alert, before)


def _more_severe(new: AlertSeverity, old: AlertSeverity) -> bool:
    return SEVERITY_ORDER.index(new) < SEVERITY_ORDER.index(old)


def _new_alert(client_id: int, candidate: AlertCandidate, now: dt.datetime) -> Alert:
    return Alert(
        client_id=client_id,
        alert_type=candidate.alert_type,
        subject_key=candidate.subject_key,
        status=AlertStatus.NEW,
        created_at=now,
        updated_at=now,
        **_fields(candidate),
    )


def _fields(candidate: AlertCandidate) -> dict[str, Any]:
    values = {name: getattr(candidate, name) for name in _REFRESHED}
    return {name: _clip(value, _LENGTHS.get(name)) for name, value in values.items()}


def _clip(value: Any, limit: int | None) -> Any:
    if limit is None or not isinstance(value, str) or len(value) <= limit:
        return value
    return value[: limit - 1] + "…"


def _audit(session: Session, workspace_id: int, action: str, alert: Alert, before: dict[str, Any] | None) -> None:
    record_audit(
        session,
        workspace_id=workspace_id,
        actor_user_id=None,  # the engine, not a person
        action=action,
        entity_type="alert",
        entity_id=alert.id,
        before=before,
        after=alert_snapshot(alert),
        channel="alerts-engine",
    )
