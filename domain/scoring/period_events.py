"""What happened to a client in a period: the events that explain a score change next to its drivers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.activities.models import Activity
from domain.alerts.models import Alert
from domain.billing.models import Invoice
from domain.clients.models import Client
from domain.onboarding.models import Milestone
from domain.scoring.schemas import PeriodEvent
from domain.support.models import SupportTicket, SurveyResponse


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return (
        dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC),
    )


def period_events(*, db_session: Session, client: Client, start: dt.date, end: dt.date) -> list[PeriodEvent]:
    """Tickets, CSM activities, alerts, surveys, milestones, invoices due and the renewal, oldest first."""
    low, high = _bounds(start, end)
    events: list[PeriodEvent] = []
    for ticket in db_session.scalars(
        select(SupportTicket).where(SupportTicket.client_id == client.id, SupportTicket.opened_at.between(low, high))
    ):
        description = f"{ticket.severity.value.lower()} ticket opened: {ticket.subject}"
        events.append(PeriodEvent(day=ticket.opened_at.date(), kind="support_ticket", description=description))
    for activity in db_session.scalars(
        select(Activity).where(Activity.client_id == client.id, Activity.occurred_at.between(low, high))
    ):
        description = f"{activity.activity_type.value.lower().replace('_', ' ')}: {activity.subject}"
        events.append(PeriodEvent(day=activity.occurred_at.date(), kind="csm_activity", description=description))
    for alert in db_session.scalars(
        select(Alert).where(Alert.client_id == client.id, Alert.created_at.between(low, high))
    ):
        events.append(PeriodEvent(day=alert.created_at.date(), kind="alert", description=alert.title))
    for survey in db_session.scalars(
        select(SurveyResponse).where(
            SurveyResponse.client_id == client.id, SurveyResponse.responded_at.between(low, high)
        )
    ):
        description = f"{survey.kind.value} response: {survey.score}"
        events.append(PeriodEvent(day=survey.responded_at.date(), kind="survey", description=description))
    for milestone in db_session.scalars(
        select(Milestone).where(Milestone.client_id == client.id, Milestone.achieved_at.between(low, high))
    ):
        description = f"milestone reached: {milestone.milestone_type.replace('_', ' ')}"
        events.append(PeriodEvent(day=milestone.achieved_at.date(), kind="milestone", description=description))
    for invoice in db_session.scalars(
        select(Invoice).where(Invoice.client_id == client.id, Invoice.due_date.between(start, end))
    ):
        description = f"invoice {invoice.number} due ({invoice.status.value.lower()})"
        events.append(PeriodEvent(day=invoice.due_date, kind="invoice", description=description))
    if client.next_renewal_date and start <= client.next_renewal_date <= end + dt.timedelta(days=90):
        events.append(PeriodEvent(day=client.next_renewal_date, kind="renewal", description="contract renewal"))
    return sorted(events, key=lambda event: (event.day, event.kind, event.description))
