"""Seed 002's onboarding path for newer clients, its milestones, and its five intervention rules."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy.orm import Session

from domain.demo.clock import days_before, stamps, utc_at
from domain.demo.plan import ClientPlan
from domain.demo.usage_stats import UsageStats
from domain.onboarding.intervention_rules import DEFAULT_RULES
from domain.onboarding.milestone_definitions import DEFAULT_MILESTONES
from domain.onboarding.models import InterventionRule, MilestoneDefinition
from domain.onboarding.path_rules import FULLY_ACTIVATED, ONBOARDING_PATH

NEWER_THAN_DAYS = 180  # clients that started within the history window have an onboarding record
STUCK_SHARE = 0.25  # some new clients stall after their first login
CELEBRATED_AFTER_DAYS = 7  # older milestones were celebrated; recent ones wait for the CSM


def create_workspace_rules(*, db_session: Session, workspace_id: int, created: dt.datetime) -> None:
    """Seed 002's intervention triggers and milestone definitions, as the tenant starts with them."""
    db_session.add_all(
        InterventionRule(workspace_id=workspace_id, condition=condition, action=action, template=template)
        for condition, action, template in DEFAULT_RULES
    )
    db_session.add_all(
        MilestoneDefinition(
            workspace_id=workspace_id,
            key=seed.key,
            name=seed.name,
            event_type=seed.event_type,
            feature_key=seed.feature_key,
            measure=seed.measure,
            threshold=seed.threshold,
            celebration=seed.celebration,
            enabled=True,
            **stamps(created),
        )
        for seed in DEFAULT_MILESTONES
    )
    db_session.flush()


def is_newer(plan: ClientPlan, as_of: dt.date) -> bool:
    return plan.contract_start > days_before(as_of, NEWER_THAN_DAYS)


def onboarding_row(plan: ClientPlan, client_id: int, rng: random.Random, as_of: dt.date) -> dict[str, Any]:
    """Where a newer client stands on the path: done up to today, or stuck after day 1."""
    started = plan.contract_start
    age = (as_of - started).days
    stuck = plan.story is None and rng.random() < STUCK_SHARE
    reached = 1 if stuck else age
    actions = [action for step in ONBOARDING_PATH if step.day <= reached for action in step.actions]
    activated_at = activation_time(plan, as_of) if not stuck else None
    if activated_at is not None:
        actions.append(FULLY_ACTIVATED)  # as path.record_onboarding_action records it
    return {
        "client_id": client_id,
        "started_on": started,
        "completed_actions": actions,
        "fully_activated_at": activated_at,
        **stamps(utc_at(started, 9)),
    }


def activation_time(plan: ClientPlan, as_of: dt.date) -> dt.datetime | None:
    """Day 14 of the path, once every earlier step is done."""
    day = max(step.day for step in ONBOARDING_PATH)
    activated = plan.contract_start + dt.timedelta(days=day)
    return utc_at(activated, 15) if activated <= as_of else None


def milestone_rows(
    client_id: int, stats: UsageStats, activated_at: dt.datetime | None, as_of: dt.date
) -> list[dict[str, Any]]:
    """The milestones the events (and the onboarding path) reached, so detection finds nothing new."""
    reached = stats.milestones()
    if activated_at is not None:
        reached[FULLY_ACTIVATED] = activated_at
    return [
        {
            "client_id": client_id,
            "milestone_type": key,
            "achieved_at": at,
            "celebrated": (as_of - at.date()).days > CELEBRATED_AFTER_DAYS,
        }
        for key, at in sorted(reached.items(), key=lambda item: (item[1], item[0]))
    ]
