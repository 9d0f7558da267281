"""Briefing items that ask for attention: new and escalated alerts, follow-ups due today or overdue."""

from __future__ import annotations

from sqlalchemy.orm import Session

from agent.briefing.models import BriefingItem, ItemKind
from agent.briefing.window import Window
from domain.activities.follow_ups import list_follow_ups
from domain.activities.schemas import FollowUpItem
from domain.alerts.schemas import AlertView
from domain.alerts.service import list_alerts
from domain.enums import AlertSeverity, AlertStatus

ALERT_PRIORITY = {
    AlertSeverity.CRITICAL: 1,
    AlertSeverity.HIGH: 2,
    AlertSeverity.MEDIUM: 3,
    AlertSeverity.LOW: 4,
    AlertSeverity.INFO: 5,
}


def alert_items(session: Session, window: Window) -> list[BriefingItem]:
    """One item per client with alerts raised (or escalated) since the last briefing, led by the most severe."""
    alerts = list_alerts(db_session=session, actor=window.actor, now=window.now, status=AlertStatus.NEW)
    by_client: dict[int, list[AlertView]] = {}
    for alert in alerts:  # most severe first, then newest: the service's order
        if _is_news(alert, window):
            by_client.setdefault(alert.client_id, []).append(alert)
    return [_alert_item(group, window) for group in by_client.values()]


def _is_news(alert: AlertView, window: Window) -> bool:
    if alert.created_at > window.since:
        return True
    # The engine re-opens an acknowledged alert as NEW when it gets more severe; that is news again.
    return alert.updated_at > window.since and alert.acknowledged_at is not None


def _alert_item(group: list[AlertView], window: Window) -> BriefingItem:
    lead, others = group[0], group[1:]
    escalated = lead.created_at <= window.since  # news only because it was escalated
    more = f" (+{len(others)} more new alert{'s' if len(others) > 1 else ''})" if others else ""
    label = "Escalated" if escalated else lead.severity.value.capitalize()
    return BriefingItem(
        kind=ItemKind.ALERT,
        client_id=lead.client_id,
        client_name=lead.client_name,
        priority=ALERT_PRIORITY[lead.severity],
        weight=len(group),
        headline=f"{label} alert: {_without_client(lead.title, lead.client_name)}{more}.".replace("..", "."),
        action=lead.recommended_action or "Open the alert, acknowledge it and decide the next step.",
        facts={
            "alert_type": lead.alert_type.value,
            "alert_types": sorted({alert.alert_type.value for alert in group}),
            "severity": lead.severity.value,
            "escalated": escalated,
            "alerts": len(group),
            "other_alert_titles": [alert.title for alert in others],
        },
        source_ids={"alerts": [alert.id for alert in group]},
    )


def _without_client(title: str, client_name: str) -> str:
    """Alert titles start with the client's name; the briefing already shows it."""
    prefix = f"{client_name}: "
    return title[len(prefix) :] if title.startswith(prefix) else title


def follow_up_items(session: Session, window: Window) -> list[BriefingItem]:
    """The actor's own follow-ups that are due today or overdue."""
    listed = list_follow_ups(db_session=session, actor=window.actor, as_of=window.as_of, days_ahead=0)
    mine = [item for item in (*listed.overdue, *listed.due_today) if item.performed_by_id == window.actor.user_id]
    return [_follow_up_item(item, window) for item in mine]


def _follow_up_item(item: FollowUpItem, window: Window) -> BriefingItem:
    late = -item.days_until_due
    # A follow-up that fell due since the last briefing is news; an old backlog is a standing reminder.
    backlog = item.follow_up_date < window.since_day
    priority = 4 if backlog else 2
    if late > 0:
        headline = f"Follow-up overdue by {late} day{'s' if late > 1 else ''}: {item.subject}."
        action = "Do it today, or reschedule it with a new date."
    else:
        headline = f"Follow-up due today: {item.subject}."
        action = "Do it today and log the outcome."
    return BriefingItem(
        kind=ItemKind.FOLLOW_UP,
        client_id=item.client_id,
        client_name=item.client_name,
        priority=priority,
        weight=late,
        headline=headline.replace("..", "."),
        action=action,
        facts={"follow_up_date": item.follow_up_date.isoformat(), "days_overdue": max(late, 0)},
        source_ids={"activities": [item.activity_id]},
    )
