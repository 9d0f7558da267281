"""Raw inputs for scoring, gathered for a whole portfolio with a handful of grouped queries.

Nothing here loops over clients with a query each: recompute of 10,000 clients must stay set-based.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, case, func, select, text
from sqlalchemy.orm import Session

from domain.activities.models import Activity
from domain.adoption.models import Feature
from domain.billing.models import Invoice
from domain.clients.models import Client, Contact
from domain.enums import ContactRole, ContractTier, InvoiceStatus, SurveyKind, TicketSeverity
from domain.onboarding.models import Milestone, OnboardingProgress
from domain.scoring.usage_inputs import add_all_feature_use, add_usage
from domain.seasonality import expected_usage_factor, load_seasonality
from domain.support.models import SupportTicket, SurveyResponse
from domain.usage.models import EngagementEvent

KEY_CONTACT_ROLES = (ContactRole.CHAMPION, ContactRole.EXECUTIVE_SPONSOR, ContactRole.ADMIN)


@dataclass(slots=True)
class ClientInputs:
    """Everything the metric registry reads about one client on one day. None means "no data"."""

    client_id: int
    as_of: dt.date
    tier: ContractTier
    segment: str | None
    licensed_user_count: int | None
    licensed_modules: list[str]
    days_to_renewal: int | None = None
    seasonal_factor: float = 1.0  # share of normal usage to expect this month (seed 002 seasonality)
    # usage (rollups)
    dau_7d: float | None = None
    dau_30d: float | None = None
    dau_prev_30d: float | None = None
    wau: int | None = None
    mau: int | None = None
    last_active_day: dt.date | None = None
    sessions_30d: int = 0
    actions_30d: int = 0
    active_days_30d: int = 0
    actions_7d: int = 0
    actions_prev_7d: int = 0
    # feature use per feature key, this 30-day window and the one before
    feature_uses_30d: dict[str, int] = field(default_factory=dict)
    feature_uses_prev_30d: dict[str, int] = field(default_factory=dict)
    # support
    tickets_30d: int = 0
    tickets_prior_90d: int = 0
    severe_open_tickets: int = 0
    csat_avg: float | None = None
    # relationship
    last_csm_contact: dt.datetime | None = None
    key_contacts: int = 0
    key_contacts_touched_90d: int = 0
    champion_name: str | None = None
    champion_last_login: dt.datetime | None = None
    # seed 001/002 progress
    onboarding_done: int | None = None
    milestones_achieved: int = 0
    # contract
    latest_nps: int | None = None
    overdue_invoices: int = 0
    overdue_amount: Decimal = Decimal(0)


def _client_filter(workspace_id: int, client_ids: Collection[int] | None) -> ColumnElement[bool]:
    condition = Client.workspace_id == workspace_id
    if client_ids is not None:
        condition = and_(condition, Client.id.in_(list(client_ids)))
    return condition


def gather_inputs(
    *,
    db_session: Session,
    workspace_id: int,
    as_of: dt.date,
    client_ids: Collection[int] | None = None,
    feature_keys: Collection[str] | None = None,
) -> dict[int, ClientInputs]:
    """Collect the scoring inputs of every (or the given) client of a workspace as of a day.

    With `feature_keys` (what scoring passes), only those features' use in the last 30 days is counted,
    all a score reads, and feature_uses_prev_30d stays empty: much cheaper than expanding every rollup's
    feature counts over both windows, which is what callers get without it.
    """
    scope = _client_filter(workspace_id, client_ids)
    with _without_jit(db_session):
        inputs = _base_inputs(db_session, scope, as_of)
        seasons = load_seasonality(db_session=db_session, workspace_id=workspace_id)
        for item in inputs.values():
            item.seasonal_factor = expected_usage_factor(item.segment, as_of.month, seasons)
        if not add_usage(db_session, scope, as_of, inputs, feature_keys):
            add_all_feature_use(db_session, workspace_id, client_ids, as_of, inputs)
        _add_support(db_session, scope, as_of, inputs)
        _add_relationship(db_session, scope, as_of, inputs)
        _add_contract(db_session, scope, as_of, inputs)
        _add_progress(db_session, scope, as_of, inputs)
    return inputs


@contextmanager
def _without_jit(session: Session) -> Iterator[None]:
    """Turn PostgreSQL's JIT off for these queries, then restore it for the rest of the transaction.

    The grouped rollup reads cross JIT's cost thresholds (json_each alone is estimated at 100 rows a call),
    and compiling them with full optimisation took seconds, longer than running them.
    """
    if session.get_bind().dialect.name != "postgresql":
        yield
        return
    previous = session.execute(text("SELECT current_setting('jit', true)")).scalar_one()
    if previous is None:  # a server built without JIT
        yield
        return
    session.execute(text("SELECT set_config('jit', 'off', true)"))
    yield
    # Not in a `finally`: after an error the transaction is aborted and rolled back, which undoes SET LOCAL anyway.
    session.execute(text("SELECT set_config('jit', :previous, true)"), {"previous": previous})


def _base_inputs(session: Session, scope: ColumnElement[bool], as_of: dt.date) -> dict[int, ClientInputs]:
    rows = session.execute(
        select(
            Client.id,
            Client.contract_tier,
            Client.segment,
            Client.licensed_user_count,
            Client.licensed_modules,
            Client.next_renewal_date,
        ).where(scope)
    )
    return {
        client_id: ClientInputs(
            client_id=client_id,
            as_of=as_of,
            tier=tier,
            segment=segment,
            licensed_user_count=licensed_users,
            licensed_modules=list(modules or []),
            days_to_renewal=(renewal - as_of).days if renewal else None,
        )
        for client_id, tier, segment, licensed_users, modules, renewal in rows
    }


def _add_support(session: Session, scope: ColumnElement[bool], as_of: dt.date, inputs: dict[int, ClientInputs]) -> None:
    end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    start30 = end - dt.timedelta(days=30)
    start120 = end - dt.timedelta(days=120)
    severe = SupportTicket.severity.in_([TicketSeverity.HIGH, TicketSeverity.URGENT])
    is_open = (SupportTicket.closed_at.is_(None)) | (SupportTicket.closed_at >= end)
    rows = session.execute(
        select(
            SupportTicket.client_id,
            func.count(case((SupportTicket.opened_at >= start30, 1))),
            func.count(case((SupportTicket.opened_at < start30, 1))),
            func.count(case((and_(severe, is_open), 1))),
        )
        .join(Client, Client.id == SupportTicket.client_id)
        .where(scope, SupportTicket.opened_at >= start120, SupportTicket.opened_at < end)
        .group_by(SupportTicket.client_id)
    )
    for client_id, recent, prior, severe_open in rows:
        item = inputs[client_id]
        item.tickets_30d, item.tickets_prior_90d, item.severe_open_tickets = recent, prior, severe_open
    csat = session.execute(
        select(SurveyResponse.client_id, func.avg(SurveyResponse.score))
        .join(Client, Client.id == SurveyResponse.client_id)
        .where(
            scope,
            SurveyResponse.kind == SurveyKind.CSAT,
            SurveyResponse.responded_at.between(end - dt.timedelta(days=90), end),
        )
        .group_by(SurveyResponse.client_id)
    )
    for client_id, average in csat:
        inputs[client_id].csat_avg = float(average)


def _add_relationship(
    session: Session, scope: ColumnElement[bool], as_of: dt.date, inputs: dict[int, ClientInputs]
) -> None:
    end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    last_contact = session.execute(
        select(Activity.client_id, func.max(Activity.occurred_at))
        .join(Client, Client.id == Activity.client_id)
        .where(scope, Activity.occurred_at < end)
        .group_by(Activity.client_id)
    )
    for client_id, last in last_contact:
        inputs[client_id].last_csm_contact = _as_datetime(last)
    key_contacts = session.execute(
        select(Contact.client_id, Contact.id, Contact.name, Contact.role, Contact.platform_user_ref)
        .join(Client, Client.id == Contact.client_id)
        .where(scope, Contact.is_active.is_(True), Contact.role.in_(KEY_CONTACT_ROLES))
        .order_by(Contact.client_id, Contact.id)
    ).all()
    touched = _contacts_touched(session, scope, end)
    champion_refs: dict[tuple[int, str], int] = {}
    for client_id, contact_id, name, role, user_ref in key_contacts:
        item = inputs[client_id]
        item.key_contacts += 1
        item.key_contacts_touched_90d += int(str(contact_id) in touched[client_id])
        if role is ContactRole.CHAMPION and item.champion_name is None:
            item.champion_name = name
            if user_ref:
                champion_refs[(client_id, user_ref)] = client_id
    _add_champion_logins(session, scope, end, champion_refs, inputs)


def _contacts_touched(session: Session, scope: ColumnElement[bool], end: dt.datetime) -> dict[int, set[str]]:
    touched: dict[int, set[str]] = defaultdict(set)
    rows = session.execute(
        select(Activity.client_id, Activity.contact_ids)
        .join(Client, Client.id == Activity.client_id)
        .where(scope, Activity.occurred_at.between(end - dt.timedelta(days=90), end))
    )
    for client_id, contact_ids in rows:
        touched[client_id].update(str(contact_id) for contact_id in contact_ids or [])
    return touched


def _add_champion_logins(
    session: Session,
    scope: ColumnElement[bool],
    end: dt.datetime,
    champion_refs: dict[tuple[int, str], int],
    inputs: dict[int, ClientInputs],
) -> None:
    if not champion_refs:
        return
    refs = sorted({ref for _, ref in champion_refs})
    rows = session.execute(
        select(EngagementEvent.client_id, EngagementEvent.user_ref, func.max(EngagementEvent.occurred_at))
        .join(Client, Client.id == EngagementEvent.client_id)
        .where(scope, EngagementEvent.user_ref.in_(refs), EngagementEvent.occurred_on < end.date())
        .group_by(EngagementEvent.client_id, EngagementEvent.user_ref)
    )
    for client_id, user_ref, last in rows:
        if (client_id, user_ref) in champion_refs:
            inputs[client_id].champion_last_login = _as_datetime(last)


def _as_datetime(value: dt.datetime | str | None) -> dt.datetime | None:
    # Aggregates bypass the column type on SQLite, so MAX() of a datetime comes back as naive text.
    if value is None:
        return None
    parsed = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)


def _add_contract(
    session: Session, scope: ColumnElement[bool], as_of: dt.date, inputs: dict[int, ClientInputs]
) -> None:
    end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    latest = (
        select(SurveyResponse.client_id, func.max(SurveyResponse.responded_at).label("last"))
        .join(Client, Client.id == SurveyResponse.client_id)
        .where(scope, SurveyResponse.kind == SurveyKind.NPS, SurveyResponse.responded_at < end)
        .group_by(SurveyResponse.client_id)
        .subquery()
    )
    nps = session.execute(
        select(SurveyResponse.client_id, func.avg(SurveyResponse.score))
        .join(
            latest,
            and_(latest.c.client_id == SurveyResponse.client_id, latest.c.last == SurveyResponse.responded_at),
        )
        .where(SurveyResponse.kind == SurveyKind.NPS)
        .group_by(SurveyResponse.client_id)
    )
    for client_id, score in nps:
        inputs[client_id].latest_nps = round(float(score))
    unpaid_on_day = (Invoice.paid_on.is_(None)) | (Invoice.paid_on > as_of)
    overdue = session.execute(
        select(Invoice.client_id, func.count(), func.sum(Invoice.amount))
        .join(Client, Client.id == Invoice.client_id)
        .where(scope, Invoice.status != InvoiceStatus.VOID, Invoice.due_date < as_of, unpaid_on_day)
        .group_by(Invoice.client_id)
    )
    for client_id, count, amount in overdue:
        inputs[client_id].overdue_invoices = count
        inputs[client_id].overdue_amount = Decimal(amount or 0)


def licensed_feature_expectations(*, db_session: Session, workspace_id: int) -> dict[str, tuple[str, float]]:
    """feature key -> (module, expected uses per 30 days) for the workspace's catalogue."""
    rows = db_session.execute(
        select(Feature.key, Feature.module, Feature.expected_monthly_usage).where(Feature.workspace_id == workspace_id)
    )
    return {key: (module, expected) for key, module, expected in rows}


def _add_progress(
    session: Session, scope: ColumnElement[bool], as_of: dt.date, inputs: dict[int, ClientInputs]
) -> None:
    end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    onboarding = session.execute(
        select(OnboardingProgress.client_id, OnboardingProgress.completed_actions)
        .join(Client, Client.id == OnboardingProgress.client_id)
        .where(scope, OnboardingProgress.started_on <= as_of)
    )
    for client_id, completed in onboarding:
        inputs[client_id].onboarding_done = len(set(completed or []))
    milestones = session.execute(
        select(Milestone.client_id, func.count())
        .join(Client, Client.id == Milestone.client_id)
        .where(scope, Milestone.achieved_at < end)
        .group_by(Milestone.client_id)
    )
    for client_id, count in milestones:
        inputs[client_id].milestones_achieved = count
