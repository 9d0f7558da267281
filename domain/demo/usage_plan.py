"""How a client's platform users behave: pool size, who is active how often, which features they use."""

from __future__ import annotations

import datetime as dt
import random

from domain.demo.catalogue import FEATURES_BY_KEY
from domain.demo.clock import HISTORY_DAYS, between, history_start
from domain.demo.plan import Archetype, ContactPlan, UsagePlan
from domain.enums import ContactRole

NEVER = HISTORY_DAYS  # a first_day past the window: the user never shows up
LAST_DAY = HISTORY_DAYS - 1
# Seed 004 API row: "any usage = adopted", so API volume has no expected count to scale from.
API_CALLS_PER_MONTH = (20.0, 90.0)
# Rare features (campaigns, policies) still happen now and then when configured and in use.
MIN_RATE_WHEN_USED = 0.4


def plan_usage(
    *,
    rng: random.Random,
    as_of: dt.date,
    index: int,
    archetype: Archetype,
    licensed_users: int,
    contacts: list[ContactPlan],
    go_live: dt.date,
    utc_offset: int,
    configured: list[str],
) -> UsagePlan:
    """Draw the user pool and activity levels; contacts with platform accounts are the first users."""
    accounts = sum(1 for contact in contacts if contact.user_index is not None)
    size = max(accounts + 2, round(licensed_users * between(rng, *archetype.utilisation)))
    live_day = (go_live - history_start(as_of)).days
    base = between(rng, *archetype.propensity)
    propensity = [min(0.9, base * between(rng, 0.3, 2.0)) for _ in range(size)]
    first_day = [_first_day(rng, live_day) for _ in range(size)]
    last_day = [LAST_DAY if rng.random() > 0.04 else rng.randint(0, LAST_DAY) for _ in range(size)]
    plan = UsagePlan(
        user_refs=[f"usr-{index + 1:05d}-{n + 1:04d}" for n in range(size)],
        propensity=propensity,
        first_day=first_day,
        last_day=last_day,
        trend=between(rng, *archetype.trend),
        utc_shift_hours=-utc_offset,
        feature_rates=_feature_rates(rng, archetype, configured),
    )
    _shape_contacts(plan, contacts, base, live_day)
    return plan


def _first_day(rng: random.Random, live_day: int) -> int:
    """Most users exist from go-live (or before the window); about one in ten joins later."""
    start = max(0, live_day)
    if start > LAST_DAY:
        return NEVER
    return rng.randint(start, LAST_DAY) if rng.random() < 0.1 else start


def _shape_contacts(plan: UsagePlan, contacts: list[ContactPlan], base: float, live_day: int) -> None:
    """Champions and admins use the platform most (from setup, before go-live); executives barely."""
    setup_day = max(0, live_day - 14)
    for contact in contacts:
        user = contact.user_index
        if user is None:
            continue
        plan.last_day[user] = LAST_DAY  # key people have not left; stories say otherwise explicitly
        if contact.role in (ContactRole.CHAMPION, ContactRole.ADMIN):
            plan.propensity[user] = min(0.9, max(0.35, base * 2.5))
            plan.first_day[user] = setup_day if setup_day <= LAST_DAY else NEVER
        elif contact.role is ContactRole.EXECUTIVE_SPONSOR:
            plan.propensity[user] = 0.12


def _feature_rates(rng: random.Random, archetype: Archetype, configured: list[str]) -> dict[str, float]:
    """Monthly uses of each configured feature: a multiple of the expected usage, or none at all."""
    rates: dict[str, float] = {}
    for key in configured:
        if key != "case_creation" and rng.random() < archetype.unused_feature_share:
            rates[key] = 0.0
            continue
        intensity = between(rng, *archetype.feature_intensity)
        expected = FEATURES_BY_KEY[key].expected_monthly_usage
        if expected == 0:
            rates[key] = between(rng, *API_CALLS_PER_MONTH) * min(1.0, intensity)
        else:
            rates[key] = max(MIN_RATE_WHEN_USED if expected < 1 else 0.0, expected * intensity)
    return rates
