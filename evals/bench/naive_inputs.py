"""The naive baseline for the recompute benchmark: one client at a time, loading ORM rows and summing in Python.

It computes the same ClientInputs as domain.scoring.inputs.gather_inputs, so the benchmark can also check
that both agree; it exists only to be measured against.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.activities.models import Activity
from domain.billing.models import Invoice
from domain.clients.models import Client, Contact
from domain.enums import ContactRole, InvoiceStatus, SurveyKind, TicketSeverity
from domain.onboarding.models import Milestone, OnboardingProgress
from domain.scoring.inputs import KEY_CONTACT_ROLES, ClientInputs
from domain.support.models import SupportTicket, SurveyResponse
from domain.usage.models import EngagementEvent, UsageRollup


def naive_client_inputs(session: Session, client_id: int, as_of: dt.date) -> ClientInputs:
    client = session.get_one(Client, client_id)
    renewal = (client.next_renewal_date - as_of).days if client.next_renewal_date else None
    item = ClientInputs(
        client_id,
        as_of,
        client.contract_tier,
        client.segment,
        client.licensed_user_count,
        list(client.licensed_modules),
        days_to_renewal=renewal,
    )
    end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    _usage(session, item, as_of)
    _support(session, item, end)
    _relationship(session, item, end)
    _contract(session, item, as_of, end)
    onboarding = session.scalars(select(OnboardingProgress).where(OnboardingProgress.client_id == client_id)).first()
    if onboarding is not None and onboarding.started_on <= as_of:
        item.onboarding_done = len(set(onboarding.completed_actions))
    milestones = session.scalars(select(Milestone).where(Milestone.client_id == client_id)).all()
    item.milestones_achieved = sum(1 for milestone in milestones if milestone.achieved_at < end)
    return item


def _usage(session: Session, item: ClientInputs, as_of: dt.date) -> None:
    rollups = session.scalars(
        select(UsageRollup).where(
            UsageRollup.client_id == item.client_id,
            UsageRollup.day.between(as_of - dt.timedelta(days=59), as_of),
        )
    ).all()
    if not rollups:
        return

    def days_back(rollup: UsageRollup) -> int:
        return (as_of - rollup.day).days

    def mean(values: list[int]) -> float | None:
        return sum(values) / len(values) if values else None

    item.dau_7d = mean([r.daily_active_users for r in rollups if days_back(r) < 7])
    item.dau_30d = mean([r.daily_active_users for r in rollups if days_back(r) < 30])
    item.dau_prev_30d = mean([r.daily_active_users for r in rollups if days_back(r) >= 30])
    today = [r for r in rollups if r.day == as_of]
    item.wau = today[0].weekly_active_users if today else None
    item.mau = today[0].monthly_active_users if today else None
    active = [r.day for r in rollups if r.total_actions > 0]
    item.last_active_day = max(active) if active else None
    recent = [r for r in rollups if days_back(r) < 30]
    item.sessions_30d = sum(r.total_sessions for r in recent)
    item.actions_30d = sum(r.total_actions for r in recent)
    item.active_days_30d = sum(1 for r in recent if r.total_actions > 0)
    item.actions_7d = sum(r.total_actions for r in rollups if days_back(r) < 7)
    item.actions_prev_7d = sum(r.total_actions for r in rollups if 7 <= days_back(r) < 14)
    for rollup in rollups:
        if rollup.total_actions <= 0:
            continue
        target = item.feature_uses_30d if days_back(rollup) < 30 else item.feature_uses_prev_30d
        for key, uses in rollup.feature_counts.items():
            target[key] = target.get(key, 0) + int(uses)


def _support(session: Session, item: ClientInputs, end: dt.datetime) -> None:
    tickets = session.scalars(select(SupportTicket).where(SupportTicket.client_id == item.client_id)).all()
    start30, start120 = end - dt.timedelta(days=30), end - dt.timedelta(days=120)
    for ticket in tickets:
        if not start120 <= ticket.opened_at < end:
            continue
        if ticket.opened_at >= start30:
            item.tickets_30d += 1
        else:
            item.tickets_prior_90d += 1
        still_open = ticket.closed_at is None or ticket.closed_at >= end
        if still_open and ticket.severity in (TicketSeverity.HIGH, TicketSeverity.URGENT):
            item.severe_open_tickets += 1
    surveys = session.scalars(select(SurveyResponse).where(SurveyResponse.client_id == item.client_id)).all()
    csat = [
        s.score for s in surveys if s.kind is SurveyKind.CSAT and end - dt.timedelta(days=90) <= s.responded_at <= end
    ]
    item.csat_avg = sum(csat) / len(csat) if csat else None


def _relationship(session: Session, item: ClientInputs, end: dt.datetime) -> None:
    activities = session.scalars(
        select(Activity).where(Activity.client_id == item.client_id, Activity.occurred_at < end)
    ).all()
    item.last_csm_contact = max((a.occurred_at for a in activities), default=None)
    touched = {str(c) for a in activities if a.occurred_at >= end - dt.timedelta(days=90) for c in a.contact_ids}
    contacts = session.scalars(
        select(Contact).where(Contact.client_id == item.client_id, Contact.is_active.is_(True)).order_by(Contact.id)
    ).all()
    for contact in contacts:
        if contact.role not in KEY_CONTACT_ROLES:
            continue
        item.key_contacts += 1
        item.key_contacts_touched_90d += int(str(contact.id) in touched)
        if contact.role is ContactRole.CHAMPION and item.champion_name is None:
            item.champion_name = contact.name
            if contact.platform_user_ref:
                events = session.scalars(
                    select(EngagementEvent).where(
                        EngagementEvent.client_id == item.client_id,
                        EngagementEvent.user_ref == contact.platform_user_ref,
                        EngagementEvent.occurred_on < end.date(),
                    )
                ).all()
                item.champion_last_login = max((e.occurred_at for e in events), default=None)


def _contract(session: Session, item: ClientInputs, as_of: dt.date, end: dt.datetime) -> None:
    surveys = session.scalars(
        select(SurveyResponse).where(SurveyResponse.client_id == item.client_id, SurveyResponse.kind == SurveyKind.NPS)
    ).all()
    past = [s for s in surveys if s.responded_at < end]
    if past:
        last = max(s.responded_at for s in past)
        scores = [s.score for s in past if s.responded_at == last]
        item.latest_nps = round(sum(scores) / len(scores))
    invoices = session.scalars(select(Invoice).where(Invoice.client_id == item.client_id)).all()
    overdue = [
        i
        for i in invoices
        if i.status is not InvoiceStatus.VOID and i.due_date < as_of and (i.paid_on is None or i.paid_on > as_of)
    ]
    item.overdue_invoices = len(overdue)
    item.overdue_amount = sum((i.amount for i in overdue), Decimal(0))
