"""Gather the alert facts of a whole workspace with a fixed handful of grouped queries (never one per client).

The scoring inputs (usage, feature use, tickets) are reused; this adds health snapshots, recent activity,
key contacts, the latest NPS answer, open deliverables, unpaid payments and unpaid invoices.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from domain.alerts.facts import (
    KEY_CONTACT_ROLES,
    AlertInputs,
    KeyContact,
    NpsResponse,
    OpenDeliverable,
    OpenPayment,
    UnpaidInvoice,
)
from domain.billing.models import Invoice
from domain.clients.models import Client, Contact
from domain.enums import DeliverableStatus, InvoiceStatus, LifecycleStatus, PaymentStatus, SurveyKind
from domain.operations.models import Deliverable, Payment, Proposal
from domain.scoring.inputs import gather_inputs, licensed_feature_expectations
from domain.scoring.models import HealthSnapshot
from domain.seasonality import expected_usage_factor, load_seasonality
from domain.support.models import SurveyResponse
from domain.usage.models import EngagementEvent, UsageRollup

# Prospects have nothing to watch yet and churned clients nothing to save.
WATCHED_LIFECYCLES = tuple(s for s in LifecycleStatus if s not in (LifecycleStatus.PROSPECT, LifecycleStatus.CHURNED))


def watched_clients_clause(workspace_id: int, client_ids: Collection[int] | None) -> ColumnElement[bool]:
    condition = and_(Client.workspace_id == workspace_id, Client.lifecycle_status.in_(WATCHED_LIFECYCLES))
    if client_ids is not None:
        condition = and_(condition, Client.id.in_(list(client_ids)))
    return condition


def gather_alert_inputs(
    *,
    db_session: Session,
    workspace_id: int,
    as_of: dt.date,
    now: dt.datetime,
    client_ids: Collection[int] | None = None,
    health_windows: Iterable[int] = (7, 30),
    activity_lookback_days: int = 30,
) -> dict[int, AlertInputs]:
    """Facts for every watched (or the given) client of a workspace; `health_windows` are days back to compare."""
    scope = watched_clients_clause(workspace_id, client_ids)
    facts = _base(db_session, scope, as_of, now)
    if not facts:
        return facts
    _add_scoring_inputs(db_session, workspace_id, as_of, facts)
    _add_seasonality(db_session, workspace_id, as_of, facts)
    _add_health(db_session, scope, as_of, {0, *health_windows}, facts)
    _add_dau_baseline(db_session, scope, as_of, facts)
    _add_last_activity(db_session, scope, as_of, now, activity_lookback_days, facts)
    _add_key_contacts(db_session, scope, now, facts)
    _add_latest_nps(db_session, scope, now, facts)
    _add_deliverables(db_session, scope, facts)
    _add_payments(db_session, scope, facts)
    _add_invoices(db_session, scope, as_of, facts)
    return facts


def _base(session: Session, scope: ColumnElement[bool], as_of: dt.date, now: dt.datetime) -> dict[int, AlertInputs]:
    rows = session.execute(
        select(
            Client.id, Client.name, Client.segment, Client.licensed_user_count, Client.next_renewal_date,
            Client.go_live_date, Client.last_activity_at,
        ).where(scope)
    )  # fmt: skip
    return {
        client_id: AlertInputs(
            client_id=client_id,
            client_name=name,
            as_of=as_of,
            now=now,
            segment=segment,
            licensed_user_count=licensed,
            next_renewal_date=renewal,
            go_live_date=go_live,
            # The denormalised column is only a fallback: events in the look-back window are preferred.
            last_activity_at=last_activity if last_activity is not None and last_activity <= now else None,
        )
        for client_id, name, segment, licensed, renewal, go_live, last_activity in rows
    }


def _add_scoring_inputs(session: Session, workspace_id: int, as_of: dt.date, facts: dict[int, AlertInputs]) -> None:
    features = licensed_feature_expectations(db_session=session, workspace_id=workspace_id)
    for client_id, scoring in gather_inputs(
        db_session=session, workspace_id=workspace_id, as_of=as_of, client_ids=list(facts)
    ).items():
        item = facts[client_id]
        modules = set(scoring.licensed_modules)
        item.licensed_features = tuple(sorted(key for key, (module, _) in features.items() if module in modules))
        item.has_usage_data = scoring.dau_30d is not None or scoring.dau_prev_30d is not None
        item.dau_7d, item.mau = scoring.dau_7d, scoring.mau
        item.feature_uses_30d, item.feature_uses_prev_30d = scoring.feature_uses_30d, scoring.feature_uses_prev_30d
        item.tickets_30d, item.tickets_prior_90d = scoring.tickets_30d, scoring.tickets_prior_90d


def _add_seasonality(session: Session, workspace_id: int, as_of: dt.date, facts: dict[int, AlertInputs]) -> None:
    settings = load_seasonality(db_session=session, workspace_id=workspace_id)
    baseline_month = (as_of - dt.timedelta(days=22)).month  # the middle of the DAU baseline window
    for item in facts.values():
        # Relative to the baseline's own month, so a slow month compared with a slow month is not discounted.
        now_factor = expected_usage_factor(item.segment, as_of.month, settings)
        item.expected_usage_factor = now_factor / expected_usage_factor(item.segment, baseline_month, settings)


def _add_health(
    session: Session, scope: ColumnElement[bool], as_of: dt.date, windows: set[int], facts: dict[int, AlertInputs]
) -> None:
    days = {as_of - dt.timedelta(days=window): window for window in windows}
    rows = session.execute(
        select(HealthSnapshot.client_id, HealthSnapshot.day, HealthSnapshot.overall_score)
        .join(Client, Client.id == HealthSnapshot.client_id)
        .where(scope, HealthSnapshot.model_key == "health", HealthSnapshot.day.in_(list(days)))
    )
    for client_id, day, overall in rows:
        facts[client_id].health[days[day]] = float(overall)


def _add_dau_baseline(
    session: Session, scope: ColumnElement[bool], as_of: dt.date, facts: dict[int, AlertInputs]
) -> None:
    # The 30 days before the 7-day window, so the two averages never overlap.
    end = as_of - dt.timedelta(days=7)
    start = end - dt.timedelta(days=29)
    rows = session.execute(
        select(UsageRollup.client_id, func.avg(UsageRollup.daily_active_users))
        .join(Client, Client.id == UsageRollup.client_id)
        .where(scope, UsageRollup.day.between(start, end))
        .group_by(UsageRollup.client_id)
    )
    for client_id, average in rows:
        facts[client_id].dau_baseline = None if average is None else float(average)


def _add_last_activity(
    session: Session,
    scope: ColumnElement[bool],
    as_of: dt.date,
    now: dt.datetime,
    lookback_days: int,
    facts: dict[int, AlertInputs],
) -> None:
    rows = session.execute(
        select(EngagementEvent.client_id, func.max(EngagementEvent.occurred_at))
        .join(Client, Client.id == EngagementEvent.client_id)
        .where(
            scope,
            EngagementEvent.occurred_on >= as_of - dt.timedelta(days=lookback_days),
            EngagementEvent.occurred_at <= now,
        )
        .group_by(EngagementEvent.client_id)
    )
    for client_id, last in rows:
        item, moment = facts[client_id], _aware(last)
        if moment is not None and (item.last_activity_at is None or moment > item.last_activity_at):
            item.last_activity_at = moment


def _add_key_contacts(
    session: Session, scope: ColumnElement[bool], now: dt.datetime, facts: dict[int, AlertInputs]
) -> None:
    contacts = session.execute(
        select(
            Contact.client_id, Contact.id, Contact.name, Contact.role, Contact.platform_user_ref,
            Contact.last_platform_login, Contact.is_active, Contact.left_company_at,
        )
        .join(Client, Client.id == Contact.client_id)
        .where(scope, Contact.role.in_(KEY_CONTACT_ROLES))
        .order_by(Contact.client_id, Contact.id)
    ).all()  # fmt: skip
    seen = _last_seen(session, scope, now, {row.platform_user_ref for row in contacts if row.platform_user_ref})
    for client_id, contact_id, name, role, ref, last_login, is_active, left_at in contacts:
        known = [moment for moment in (last_login, seen.get((client_id, ref or ""))) if moment and moment <= now]
        facts[client_id].key_contacts.append(
            KeyContact(contact_id, name, role, max(known, default=None), is_active, left_at)
        )


def _last_seen(
    session: Session, scope: ColumnElement[bool], now: dt.datetime, refs: set[str]
) -> dict[tuple[int, str], dt.datetime]:
    if not refs:
        return {}
    rows = session.execute(
        select(EngagementEvent.client_id, EngagementEvent.user_ref, func.max(EngagementEvent.occurred_at))
        .join(Client, Client.id == EngagementEvent.client_id)
        .where(scope, EngagementEvent.user_ref.in_(sorted(refs)), EngagementEvent.occurred_at <= now)
        .group_by(EngagementEvent.client_id, EngagementEvent.user_ref)
    )
    return {(client_id, ref): moment for client_id, ref, last in rows if (moment := _aware(last)) is not None}


def _add_latest_nps(
    session: Session, scope: ColumnElement[bool], now: dt.datetime, facts: dict[int, AlertInputs]
) -> None:
    latest = (
        select(SurveyResponse.client_id, func.max(SurveyResponse.responded_at).label("last"))
        .join(Client, Client.id == SurveyResponse.client_id)
        .where(scope, SurveyResponse.kind == SurveyKind.NPS, SurveyResponse.responded_at <= now)
        .group_by(SurveyResponse.client_id)
        .subquery()
    )
    rows = session.execute(
        select(SurveyResponse.client_id, SurveyResponse.id, SurveyResponse.score, SurveyResponse.responded_at)
        .join(
            latest, and_(latest.c.client_id == SurveyResponse.client_id, latest.c.last == SurveyResponse.responded_at)
        )
        .where(SurveyResponse.kind == SurveyKind.NPS)
        .order_by(SurveyResponse.id)
    )
    for client_id, response_id, score, responded_at in rows:
        facts[client_id].latest_nps = NpsResponse(response_id, score, responded_at)  # ties: the last id wins


def _add_deliverables(session: Session, scope: ColumnElement[bool], facts: dict[int, AlertInputs]) -> None:
    rows = session.execute(
        select(
            Contact.client_id, Deliverable.id, Deliverable.title, Deliverable.status, Deliverable.updated_at,
            Deliverable.due_date, Deliverable.notes,
        )
        .join(Contact, Contact.id == Deliverable.contact_id)
        .join(Client, Client.id == Contact.client_id)
        .where(scope, Deliverable.status != DeliverableStatus.COMPLETED)
        .order_by(Deliverable.id)
    )  # fmt: skip
    for client_id, *values in rows:
        facts[client_id].deliverables.append(OpenDeliverable(*values))


def _add_payments(session: Session, scope: ColumnElement[bool], facts: dict[int, AlertInputs]) -> None:
    rows = session.execute(
        select(
            Proposal.client_id, Payment.id, Payment.description, Payment.amount, Payment.due_date, Payment.status,
            Payment.currency,
        )
        .join(Proposal, Proposal.id == Payment.proposal_id)
        .join(Client, Client.id == Proposal.client_id)
        .where(scope, Payment.status.in_([PaymentStatus.PENDING, PaymentStatus.OVERDUE]))
        .order_by(Payment.id)
    )  # fmt: skip
    for client_id, *values in rows:
        facts[client_id].payments.append(OpenPayment(*values))


def _add_invoices(session: Session, scope: ColumnElement[bool], as_of: dt.date, facts: dict[int, AlertInputs]) -> None:
    unpaid_on_day = (Invoice.paid_on.is_(None)) | (Invoice.paid_on > as_of)
    rows = session.execute(
        select(Invoice.client_id, Invoice.number, Invoice.amount, Invoice.due_date, Invoice.currency)
        .join(Client, Client.id == Invoice.client_id)
        .where(scope, Invoice.status != InvoiceStatus.VOID, Invoice.due_date < as_of, unpaid_on_day)
        .order_by(Invoice.due_date, Invoice.number)
    )
    for client_id, *values in rows:
        facts[client_id].unpaid_invoices.append(UnpaidInvoice(*values))


def _aware(value: Any) -> dt.datetime | None:
    # Aggregates bypass the column type on SQLite, so MAX() of a datetime comes back as naive text.
    if value is None:
        return None
    parsed = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    assert isinstance(parsed, dt.datetime)
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)
