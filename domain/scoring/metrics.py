"""The metric registry: named raw inputs a score component can use, each explained in plain words.

A metric returns None when the client has no data for it; the component is then "insufficient data"
and its weight goes to the others (rules.weighted_score), never a silent 0 or 50.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.scoring.inputs import ClientInputs
from domain.scoring.rules import clamp

ONBOARDING_STEPS_TOTAL = 9  # seed 002's day 0/1/3/7 actions: 2 + 2 + 2 + 2, plus fully_activated


@dataclass(frozen=True, slots=True)
class Reading:
    raw: float
    words: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class MetricContext:
    features: Mapping[str, tuple[str, float]]  # feature key -> (module, expected uses per 30 days)
    params: Mapping[str, Any] = field(default_factory=dict)  # the component's own parameters
    # _licensed per licensed-module list: a Scorer shares one context across every client it scores.
    licensed_memo: dict[tuple[str, ...], dict[str, float]] = field(default_factory=dict, compare=False, repr=False)


Metric = Callable[[ClientInputs, MetricContext], Reading | None]


def _licensed(inputs: ClientInputs, ctx: MetricContext) -> dict[str, float]:
    """Licensed feature key -> expected uses per 30 days; shared between calls, so never mutate it."""
    modules = tuple(inputs.licensed_modules)
    licensed = ctx.licensed_memo.get(modules)
    if licensed is None:
        wanted = set(modules)
        licensed = {key: expected for key, (module, expected) in ctx.features.items() if module in wanted}
        ctx.licensed_memo[modules] = licensed
    return licensed


def _linear(value: float, zero_at: float, full_at: float) -> float:
    return clamp((value - zero_at) / (full_at - zero_at) * 100.0)


def _blend(parts: list[tuple[float | None, float]]) -> float | None:
    present = [(score, weight) for score, weight in parts if score is not None]
    if not present:
        return None
    return sum(score * weight for score, weight in present) / sum(weight for _, weight in present)


def usage_vs_expected(inputs: ClientInputs, ctx: MetricContext) -> Reading | None:
    if inputs.dau_7d is None or not inputs.licensed_user_count:
        return None
    # Seasonality: a segment's declared slow month lowers what is expected instead of raising alarms.
    share = float(ctx.params.get("expected_dau_share", 0.3)) * inputs.seasonal_factor
    slow = inputs.seasonal_factor < 1.0
    expected = inputs.licensed_user_count * share
    ratio = inputs.dau_7d / expected
    words = f"{inputs.dau_7d:.1f} daily active users (7-day average) vs {expected:.1f} expected"
    change = None
    if inputs.dau_prev_30d:
        change = (inputs.dau_7d - inputs.dau_prev_30d) / inputs.dau_prev_30d
        words += f"; DAU {'down' if change < 0 else 'up'} {abs(change):.0%} vs the 30 days before"
    details = {
        "dau_7d": round(inputs.dau_7d, 2),
        "expected_dau": round(expected, 2),
        "slow_month": slow,
        "seasonal_factor": inputs.seasonal_factor,
    }
    if change is not None:
        details["dau_change_vs_prior_30d"] = round(change, 4)
    return Reading(ratio, words, details)


def feature_adoption(inputs: ClientInputs, ctx: MetricContext) -> Reading | None:
    licensed = _licensed(inputs, ctx)
    if not licensed or inputs.dau_30d is None:
        return None
    active = [
        key for key, expected in licensed.items() if _actively_used(inputs.feature_uses_30d.get(key, 0), expected)
    ]
    unused = sorted(set(licensed) - set(active))
    words = f"{len(active)} of {len(licensed)} licensed features actively used in 30 days"
    if unused:
        words += f" (not: {', '.join(unused[:4])}{'…' if len(unused) > 4 else ''})"
    return Reading(len(active) / len(licensed), words, {"active": sorted(active), "unused": unused})


def _actively_used(uses: int, expected: float) -> bool:
    # seed 004 F5: Active Use starts at 25% of expected usage; "any usage" features need one use.
    return uses > 0 if expected <= 0 else uses >= 0.25 * expected


def support_health(inputs: ClientInputs, ctx: MetricContext) -> Reading | None:
    normal = inputs.tickets_prior_90d / 3
    excess = max(0.0, inputs.tickets_30d - max(1.0, normal))
    penalty = min(60.0, 20.0 * excess) + min(30.0, 15.0 * inputs.severe_open_tickets)
    words = f"{inputs.tickets_30d} tickets in 30 days vs {normal:.1f}/month normally"
    if inputs.severe_open_tickets:
        words += f"; {inputs.severe_open_tickets} open high-severity"
    if inputs.csat_avg is not None:
        penalty += min(20.0, (5.0 - inputs.csat_avg) * 5.0)
        words += f"; CSAT {inputs.csat_avg:.1f}/5"
    details = {"tickets_30d": inputs.tickets_30d, "normal_per_month": round(normal, 2)}
    return Reading(clamp(100.0 - penalty), words, details | {"severe_open": inputs.severe_open_tickets})


def relationship_health(inputs: ClientInputs, ctx: MetricContext) -> Reading | None:
    words: list[str] = []
    recency: float | None = 0.0
    if inputs.last_csm_contact is None:
        words.append("no CSM contact on record")
    else:
        days = (inputs.as_of - inputs.last_csm_contact.date()).days
        recency = _linear(days, zero_at=90, full_at=14)
        words.append(f"last CSM contact {days} days ago")
    coverage = None
    if inputs.key_contacts:
        coverage = inputs.key_contacts_touched_90d / inputs.key_contacts * 100.0
        words.append(f"{inputs.key_contacts_touched_90d} of {inputs.key_contacts} key contacts reached in 90 days")
    champion, champion_days = _champion(inputs)
    if champion is not None:
        words.append(champion)
    score = _blend([(recency, 0.4), (coverage, 0.3), (None if champion is None else champion_days, 0.3)])
    return None if score is None else Reading(score, "; ".join(words), {"champion": inputs.champion_name})


def _champion(inputs: ClientInputs) -> tuple[str | None, float]:
    if inputs.champion_name is None:
        return None, 0.0
    if inputs.champion_last_login is None:
        return f"champion {inputs.champion_name} has never logged in", 0.0
    days = (inputs.as_of - inputs.champion_last_login.date()).days
    return f"champion {inputs.champion_name} has not logged in for {days} days", _linear(days, zero_at=30, full_at=7)


def contract_health(inputs: ClientInputs, ctx: MetricContext) -> Reading | None:
    nps = None if inputs.latest_nps is None else inputs.latest_nps * 10.0
    payment = {0: 100.0, 1: 40.0}.get(inputs.overdue_invoices, 0.0)
    words = [f"latest NPS {inputs.latest_nps}" if inputs.latest_nps is not None else "no NPS response"]
    if inputs.overdue_invoices:
        words.append(f"{inputs.overdue_invoices} overdue invoice(s), ${inputs.overdue_amount:,.0f}")
    else:
        words.append("no overdue invoices")
    score = _blend([(nps, 0.6), (payment, 0.4)])
    details = {"nps": inputs.latest_nps, "overdue_invoices": inputs.overdue_invoices}
    return None if score is None else Reading(score, "; ".join(words), details)


def outcome_delivery(inputs: ClientInputs, ctx: MetricContext) -> Reading | None:
    expected = {key: value for key, value in _licensed(inputs, ctx).items() if value > 0}
    if not expected or inputs.dau_30d is None:
        return None
    factor = inputs.seasonal_factor
    ratios = [min(1.0, inputs.feature_uses_30d.get(key, 0) / (value * factor)) for key, value in expected.items()]
    ratio = sum(ratios) / len(ratios)
    return Reading(ratio, f"licensed features at {ratio:.0%} of their expected monthly volume", {})


def active_days(inputs: ClientInputs, ctx: MetricContext) -> Reading | None:
    if inputs.dau_30d is None:
        return None
    return Reading(float(inputs.active_days_30d), f"active on {inputs.active_days_30d} of the last 30 days")


def onboarding_completion(inputs: ClientInputs, ctx: MetricContext) -> Reading | None:
    if inputs.onboarding_done is None:
        return None
    done = min(inputs.onboarding_done, ONBOARDING_STEPS_TOTAL)
    return Reading(done / ONBOARDING_STEPS_TOTAL, f"{done} of {ONBOARDING_STEPS_TOTAL} onboarding steps done")


def milestones_achieved(inputs: ClientInputs, ctx: MetricContext) -> Reading | None:
    return Reading(float(inputs.milestones_achieved), f"{inputs.milestones_achieved} success milestones reached")


def satisfaction(inputs: ClientInputs, ctx: MetricContext) -> Reading | None:
    if inputs.csat_avg is not None:
        return Reading((inputs.csat_avg - 1.0) / 4.0 * 100.0, f"CSAT {inputs.csat_avg:.1f}/5 over 90 days")
    if inputs.latest_nps is not None:
        return Reading(inputs.latest_nps * 10.0, f"latest NPS {inputs.latest_nps}")
    return None


def week_over_week_change(inputs: ClientInputs, ctx: MetricContext) -> Reading | None:
    if inputs.dau_30d is None:
        return None
    this_week, last_week = inputs.actions_7d, inputs.actions_prev_7d
    if last_week == 0:
        change = 1.0 if this_week else -1.0
    else:
        change = max(-1.0, min(1.0, (this_week - last_week) / last_week))
    return Reading(change, f"{this_week} actions this week vs {last_week} the week before ({change:+.0%})")


def days_since_last_login(inputs: ClientInputs, ctx: MetricContext) -> Reading | None:
    if inputs.last_active_day is None:
        return None
    days = (inputs.as_of - inputs.last_active_day).days
    return Reading(float(days), f"last platform activity {days} days ago")


def active_user_share(inputs: ClientInputs, ctx: MetricContext) -> Reading | None:
    if inputs.mau is None or not inputs.licensed_user_count:
        return None
    share = inputs.mau / inputs.licensed_user_count
    return Reading(share, f"{inputs.mau} of {inputs.licensed_user_count} licensed users active in 30 days")


def no_data_source(inputs: ClientInputs, ctx: MetricContext) -> Reading | None:
    """Seed 002's form completion and journey open rates have no feed yet: always insufficient data."""
    return None


REGISTRY: dict[str, Metric] = {
    "usage_vs_expected": usage_vs_expected,
    "feature_adoption": feature_adoption,
    "support_health": support_health,
    "relationship_health": relationship_health,
    "contract_health": contract_health,
    "outcome_delivery": outcome_delivery,
    "active_days": active_days,
    "onboarding_completion": onboarding_completion,
    "milestones_achieved": milestones_achieved,
    "satisfaction": satisfaction,
    "week_over_week_change": week_over_week_change,
    "days_since_last_login": days_since_last_login,
    "active_user_share": active_user_share,
    "form_completion_rate": no_data_source,
    "journey_open_rate": no_data_source,
}
