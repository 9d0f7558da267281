"""Tools for alerts: list them, and acknowledge / snooze / dismiss / resolve one."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from domain.alerts.schemas import AlertView
from domain.alerts.service import acknowledge_alert, dismiss_alert, resolve_alert, snooze_alert
from domain.alerts.service import list_alerts as list_alerts_service
from domain.enums import AlertSeverity, AlertStatus
from domain.errors import NotFoundError, ValidationError
from tools.base import ToolContext, ToolResult, cs_tool, resolve_client


class ListAlertsArgs(BaseModel):
    client: str | None = Field(None, description="Only this client's alerts (name); omit for all of yours.")
    severity: AlertSeverity | None = Field(None, description="Only this severity.")
    status: AlertStatus | None = Field(None, description="Only this status; default: new and acknowledged.")


class AlertsResult(ToolResult):
    alerts: list[AlertView]
    client: str | None


@cs_tool("list_alerts", args=ListAlertsArgs)
def list_alerts(args: ListAlertsArgs, context: ToolContext) -> AlertsResult:
    """List open alerts (health drops, inactive champions, support spikes, renewals, overdue invoices, blocked
    deliverables, ...) for the user's clients or one client, most severe first, with suggested actions."""
    client = resolve_client(context, args.client) if args.client else None
    alerts = list_alerts_service(
        db_session=context.db_session,
        actor=context.actor,
        now=context.now,
        status=args.status,
        client_id=client.id if client else None,
        severity=args.severity,
    )
    return AlertsResult(
        as_of=context.as_of,
        source_ids={"alert": [alert.id for alert in alerts]},
        alerts=alerts,
        client=client.name if client else None,
    )


class UpdateAlertArgs(BaseModel):
    action: Literal["acknowledge", "snooze", "dismiss", "resolve"]
    alert_id: int | None = Field(None, description="The alert's number, e.g. 12 for 'alert #12'.")
    client: str | None = Field(None, description="The client, when the user names it instead of a number.")
    snooze_days: int | None = Field(None, ge=1, le=90, description="For snooze: how many days (1 or 7 usually).")
    notes: str | None = Field(None, description="For resolve: how it was resolved.")
    about: str | None = Field(None, description="Words naming which of the client's alerts, e.g. 'payment'.")

    @model_validator(mode="after")
    def _needs_target(self) -> UpdateAlertArgs:
        if self.alert_id is None and not self.client:
            raise ValueError("give the alert number or the client")
        return self


class UpdateAlertResult(ToolResult):
    alert: AlertView
    action: str


def _summary(args: UpdateAlertArgs) -> str:
    topic = f"{args.about} " if args.about else ""
    target = f"alert #{args.alert_id}" if args.alert_id else f"the open {topic}alert on {args.client}"
    extra = f" for {args.snooze_days} day(s)" if args.action == "snooze" and args.snooze_days else ""
    return f"{args.action.capitalize()} {target}{extra}"


@cs_tool("update_alert", args=UpdateAlertArgs, writes=True, summarize=_summary)
def update_alert(args: UpdateAlertArgs, context: ToolContext) -> UpdateAlertResult:
    """Acknowledge, snooze (1 day, 1 week, ...), dismiss or resolve an alert. Changes data: needs confirmation."""
    alert_id = args.alert_id or _single_open_alert(args.client or "", args.about, context)
    session, actor, now = context.db_session, context.actor, context.now
    if args.action == "acknowledge":
        view = acknowledge_alert(db_session=session, actor=actor, alert_id=alert_id, now=now)
    elif args.action == "snooze":
        view = snooze_alert(db_session=session, actor=actor, alert_id=alert_id, now=now, days=args.snooze_days or 1)
    elif args.action == "dismiss":
        view = dismiss_alert(db_session=session, actor=actor, alert_id=alert_id, now=now)
    else:
        notes = args.notes or "resolved from chat"
        view = resolve_alert(db_session=session, actor=actor, alert_id=alert_id, now=now, notes=notes)
    return UpdateAlertResult(as_of=context.as_of, source_ids={"alert": [view.id]}, alert=view, action=args.action)


def _single_open_alert(client_name: str, about: str | None, context: ToolContext) -> int:
    client = resolve_client(context, client_name)
    alerts = list_alerts_service(
        db_session=context.db_session, actor=context.actor, now=context.now, client_id=client.id
    )
    words = [word for word in (about or "").lower().split() if len(word) > 2]
    if words:
        alerts = [a for a in alerts if all(w in f"{a.title} {a.alert_type.value}".lower() for w in words)] or alerts
    if not alerts:
        raise NotFoundError(f"{client.name} has no open alerts")
    if len(alerts) > 1:
        listed = "; ".join(f"#{alert.id} {alert.title}" for alert in alerts[:6])
        raise ValidationError(f"{client.name} has {len(alerts)} open alerts: {listed}. Which one?")
    return alerts[0].id


__all__ = ["list_alerts", "update_alert"]
