"""generate_demo: the whole deterministic demo tenant, relative to as_of, in the caller's transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.activities.models import Activity, Note
from domain.billing.models import Invoice
from domain.clients.models import Client, Contact
from domain.db import Base
from domain.demo.accounts import AccountContext, write_accounts
from domain.demo.bulk import insert_returning_ids
from domain.demo.catalogue import create_features
from domain.demo.clients import client_row
from domain.demo.clock import history_start
from domain.demo.engagement_seeds import ENGAGEMENTS, OUTCOMES
from domain.demo.engagements import EngagementRefs, create_engagement
from domain.demo.events import write_events
from domain.demo.onboarding import create_workspace_rules
from domain.demo.outcomes import create_outcomes
from domain.demo.plan import ClientPlan
from domain.demo.portfolio import plan_portfolio, story_names
from domain.demo.staff import CONSULTANT, DEMO_WORKSPACE_SLUG, create_workspace_and_staff
from domain.demo.summary import DemoSummary
from domain.enums import ContactRole
from domain.errors import ConflictError
from domain.progress import ProgressCallback, no_progress
from domain.staff.models import Workspace
from domain.support.models import SupportTicket, SurveyResponse
from domain.usage.rollups import rebuild_rollups


@dataclass(frozen=True, slots=True)
class _Tenant:
    """Ids of the tenant-wide rows every later step refers to."""

    workspace_id: int
    user_ids: dict[str, int]  # staff email -> id
    feature_ids: dict[str, int]  # feature key -> id
    client_ids: list[int]  # in plan order


def generate_demo(
    *,
    db_session: Session,
    as_of: dt.date,
    seed: int = 7,
    clients: int = 60,
    progress: ProgressCallback | None = None,
) -> DemoSummary:
    """Generate the demo tenant; flushes only, the caller commits. Same seed, as_of and size: same rows."""
    report = progress or no_progress
    if db_session.scalar(select(Workspace.id).where(Workspace.slug == DEMO_WORKSPACE_SLUG)) is not None:
        raise ConflictError("the demo tenant already exists; run `csagent demo --reset`")
    plans = plan_portfolio(seed=seed, as_of=as_of, clients=clients)
    tenant = _write_tenant(db_session, plans, as_of)
    report("clients", len(plans), len(plans))
    events, stats = write_events(
        db_session=db_session,
        plans=plans,
        client_ids=tenant.client_ids,
        workspace_id=tenant.workspace_id,
        as_of=as_of,
        seed=seed,
        progress=report,
    )
    context = AccountContext(as_of=as_of, seed=seed, user_ids=tenant.user_ids, feature_ids=tenant.feature_ids)
    counts, contact_ids = write_accounts(
        db_session=db_session, context=context, plans=plans, client_ids=tenant.client_ids, stats=stats, progress=report
    )
    summary = _summary(tenant, plans, events, counts)
    _write_engagements(db_session, summary, plans, tenant, contact_ids, as_of)
    report("engagements", 1, 1)
    # The demo's own clients only: None would rebuild every tenant's rollups in a shared database.
    summary.rollups = rebuild_rollups(
        db_session=db_session, client_ids=tenant.client_ids, start=history_start(as_of), end=as_of, progress=progress
    )
    return summary


def _write_tenant(db_session: Session, plans: list[ClientPlan], as_of: dt.date) -> _Tenant:
    """Workspace, staff, feature catalogue, seed 002's rules, and the client rows."""
    workspace, users = create_workspace_and_staff(db_session=db_session, as_of=as_of)
    user_ids = {email: user.id for email, user in users.items()}
    feature_ids = create_features(db_session=db_session, workspace_id=workspace.id)
    create_workspace_rules(db_session=db_session, workspace_id=workspace.id, created=workspace.created_at)
    rows = [client_row(plan, workspace.id, user_ids, as_of) for plan in plans]
    client_ids = insert_returning_ids(db_session, Client, rows)
    return _Tenant(workspace.id, user_ids, feature_ids, client_ids)


def _summary(tenant: _Tenant, plans: list[ClientPlan], events: int, counts: dict[type[Base], int]) -> DemoSummary:
    return DemoSummary(
        workspace_id=tenant.workspace_id,
        clients=len(plans),
        contacts=counts.get(Contact, 0),
        events=events,
        tickets=counts.get(SupportTicket, 0),
        surveys=counts.get(SurveyResponse, 0),
        invoices=counts.get(Invoice, 0),
        activities=counts.get(Activity, 0),
        notes=counts.get(Note, 0),
        stories=story_names(plans),
    )


def _write_engagements(
    db_session: Session,
    summary: DemoSummary,
    plans: list[ClientPlan],
    tenant: _Tenant,
    contact_ids: list[list[int]],
    as_of: dt.date,
) -> None:
    """The consultant's engagements: seed 003 operations plus seed 000's success layer."""
    outcomes = {outcome.story: outcome for outcome in OUTCOMES}
    by_story = {plan.story: i for i, plan in enumerate(plans) if plan.story is not None}
    for engagement in ENGAGEMENTS:
        i = by_story[engagement.story]
        refs = EngagementRefs(
            workspace_id=summary.workspace_id,
            client_id=tenant.client_ids[i],
            client_name=plans[i].name,
            contact_id=contact_ids[i][plans[i].contact_with_role(ContactRole.CHAMPION)],
            consultant_id=tenant.user_ids[CONSULTANT],
        )
        proposals, deliverables, payments = create_engagement(
            db_session=db_session, seed=engagement, refs=refs, as_of=as_of
        )
        create_outcomes(db_session=db_session, seed=outcomes[engagement.story], refs=refs, as_of=as_of)
        summary.proposals += proposals
        summary.deliverables += deliverables
        summary.payments += payments
