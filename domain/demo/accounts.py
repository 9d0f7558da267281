"""Everything around each client except its events: contacts, CSM work, support, billing, adoption."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from domain.activities.models import Activity, Note
from domain.adoption.models import FeatureAdoption
from domain.billing.models import Invoice
from domain.clients.models import Contact
from domain.db import Base
from domain.demo.activities import ActivityPlan, activity_rows, last_contacts, plan_activities
from domain.demo.adoption import adoption_rows
from domain.demo.billing import invoice_rows
from domain.demo.bulk import insert_returning_ids, insert_rows
from domain.demo.clients import record_last_touches
from domain.demo.clock import rng_for
from domain.demo.contacts import contact_rows
from domain.demo.notes import note_rows
from domain.demo.onboarding import is_newer, milestone_rows, onboarding_row
from domain.demo.plan import ClientPlan
from domain.demo.support import interaction_rows, survey_rows, ticket_rows
from domain.demo.usage_stats import UsageStats
from domain.onboarding.models import Milestone, OnboardingProgress
from domain.progress import ProgressCallback
from domain.support.models import SupportInteraction, SupportTicket, SurveyResponse


@dataclass(frozen=True, slots=True)
class AccountContext:
    as_of: dt.date
    seed: int
    user_ids: dict[str, int]
    feature_ids: dict[str, int]


def write_accounts(
    *,
    db_session: Session,
    context: AccountContext,
    plans: list[ClientPlan],
    client_ids: list[int],
    stats: list[UsageStats],
    progress: ProgressCallback,
) -> tuple[dict[type[Base], int], list[list[int]]]:
    """Write every client's surrounding rows; returns row counts per model and each client's contact ids."""
    rngs = [rng_for(context.seed, "accounts", plan.index) for plan in plans]
    activities = [plan_activities(plan, rng, context.as_of) for plan, rng in zip(plans, rngs, strict=True)]
    touches = [last_contacts(planned) for planned in activities]
    contact_ids = _write_contacts(db_session, context, plans, client_ids, stats, [t[1] for t in touches])
    rows: dict[type[Base], list[dict[str, Any]]] = defaultdict(list)
    for done, account in enumerate(zip(plans, client_ids, contact_ids, stats, activities, rngs, strict=True), 1):
        _collect(rows, context, *account)
        progress("accounts", done, len(plans))
    counts = {model: insert_rows(db_session, model, model_rows) for model, model_rows in rows.items()}
    record_last_touches(
        db_session=db_session,
        plans=plans,
        client_ids=client_ids,
        last_activity=[client_stats.at(client_stats.last_event) for client_stats in stats],
        last_contact=[touch[0] for touch in touches],
    )
    counts[Contact] = sum(len(ids) for ids in contact_ids)
    return counts, contact_ids


def _write_contacts(
    db_session: Session,
    context: AccountContext,
    plans: list[ClientPlan],
    client_ids: list[int],
    stats: list[UsageStats],
    per_contact: list[dict[int, dt.datetime]],
) -> list[list[int]]:
    """Insert all contacts in one go and hand back each client's contact ids, in plan order."""
    rows = [
        row
        for plan, client_id, client_stats, touches in zip(plans, client_ids, stats, per_contact, strict=True)
        for row in contact_rows(plan, client_id, client_stats, touches, context.as_of)
    ]
    ids = insert_returning_ids(db_session, Contact, rows)
    sliced, start = [], 0
    for plan in plans:
        sliced.append(ids[start : start + len(plan.contacts)])
        start += len(plan.contacts)
    return sliced


def _collect(
    rows: dict[type[Base], list[dict[str, Any]]],
    context: AccountContext,
    plan: ClientPlan,
    client_id: int,
    contact_ids: list[int],
    stats: UsageStats,
    activities: list[ActivityPlan],
    rng: random.Random,
) -> None:
    as_of, user_ids = context.as_of, context.user_ids
    rows[Activity] += activity_rows(plan, activities, client_id, contact_ids, user_ids, rng, as_of)
    rows[Note] += note_rows(plan, client_id, user_ids, rng, as_of)
    rows[SupportTicket] += ticket_rows(plan, client_id, contact_ids, rng, as_of)
    rows[SurveyResponse] += survey_rows(plan, client_id, contact_ids, rng, as_of)
    rows[SupportInteraction] += interaction_rows(plan, client_id, user_ids, rng, as_of)
    rows[Invoice] += invoice_rows(plan, client_id, rng, as_of)
    rows[FeatureAdoption] += adoption_rows(plan, client_id, context.feature_ids, stats, as_of)
    activated_at = None
    if is_newer(plan, as_of):
        progress_row = onboarding_row(plan, client_id, rng, as_of)
        rows[OnboardingProgress].append(progress_row)
        activated_at = progress_row["fully_activated_at"]
    rows[Milestone] += milestone_rows(client_id, stats, activated_at, as_of)
