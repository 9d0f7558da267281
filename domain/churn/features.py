"""Churn model features: each a documented transformation of a client's raw inputs to a bounded range.

Every feature is 0 for a healthy reference client, so a feature's logit contribution (weight x value)
reads as "how much this raises, or lowers, the odds of churn compared with a healthy client".

| feature              | raw input                                  | scaled value                         | range   |
|----------------------|--------------------------------------------|--------------------------------------|---------|
| usage_trend          | 30-day average DAU vs the 30 days before   | relative change                      | -1 .. 1 |
| adoption_gap         | licensed features actively used in 30 days | 1 - used / licensed                  | 0 .. 1  |
| support_load         | tickets in 30 days vs normal (prior 90d/3) | (ratio - 1) / 4: 0 normal, 1 at 5x   | 0 .. 1  |
| relationship_recency | days since the last CSM activity           | (days - 14) / 76: 1 at 90+ or never  | 0 .. 1  |
| nps                  | latest NPS answer (0-10)                   | (8 - nps) / 8: 0 at 8+, 1 at 0       | 0 .. 1  |
| payment_issues       | overdue unpaid invoices                    | count / 2                            | 0 .. 1  |
| champion_inactivity  | days since the champion's last login       | (days - 7) / 30: 1 at 37+ or never   | 0 .. 1  |
| renewal_proximity    | days to the next renewal                   | (180 - days) / 180: 1 when due       | 0 .. 1  |
| tenure               | days since contract start                  | (days - 365) / 365: -1 new, 1 at 2y+ | -1 .. 1 |

A feature without data (no usage history, no licensed features, no NPS answer, no champion, no renewal
date) is "missing": it counts as the healthy reference 0 and lowers the prediction's confidence instead.
Pure: no I/O, tested with plain values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from domain.scoring.inputs import ClientInputs
from domain.scoring.metrics import MetricContext, feature_adoption
from domain.scoring.rules import clamp

FEATURE_LABELS: dict[str, str] = {
    "usage_trend": "Usage decline",
    "adoption_gap": "Adoption gap",
    "support_load": "Support spike",
    "relationship_recency": "No recent CSM contact",
    "nps": "Low NPS",
    "payment_issues": "Payment issues",
    "champion_inactivity": "Champion inactive",
    "renewal_proximity": "Renewal approaching",
    "tenure": "Tenure",
}
FEATURE_NAMES: tuple[str, ...] = tuple(FEATURE_LABELS)


@dataclass(frozen=True, slots=True)
class FeatureContext:
    """What a feature needs beyond ClientInputs."""

    contract_start: dt.date
    catalogue: Mapping[str, tuple[str, float]]  # feature key -> (module, expected uses per 30 days)


@dataclass(frozen=True, slots=True)
class Observation:
    value: float | None  # None = missing
    detail: str


@dataclass(frozen=True, slots=True)
class FeatureVector:
    """One client's scaled features on one day, with the plain words behind each."""

    values: dict[str, float]  # missing features hold 0.0
    missing: frozenset[str]
    details: dict[str, str]


def _bounded(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return clamp(value, low, high)


def _times(ratio: float) -> str:
    return f"{ratio:.1f}".rstrip("0").rstrip(".")


def usage_trend(inputs: ClientInputs, ctx: FeatureContext) -> Observation:
    if inputs.dau_prev_30d is None or inputs.dau_30d is None:
        return Observation(None, "no usage data for the previous 30 days")
    before, now = inputs.dau_prev_30d, inputs.dau_30d
    # From nothing to something is growth; nothing to nothing is flat.
    change = (1.0 if now > 0 else 0.0) if before <= 0 else _bounded((now - before) / before, -1.0, 1.0)
    moved = "flat" if round(change, 2) == 0 else f"{'down' if change < 0 else 'up'} {abs(change):.0%}"
    return Observation(change, f"DAU {moved} vs the previous 30 days ({now:.1f} vs {before:.1f})")


def adoption_gap(inputs: ClientInputs, ctx: FeatureContext) -> Observation:
    reading = feature_adoption(inputs, MetricContext(features=ctx.catalogue))
    if reading is None:
        return Observation(None, "no licensed features or no usage data")
    return Observation(_bounded(1.0 - reading.raw), reading.words)


def support_load(inputs: ClientInputs, ctx: FeatureContext) -> Observation:
    normal = inputs.tickets_prior_90d / 3
    # A floor of one ticket a month keeps a first ticket from reading as an infinite spike.
    ratio = inputs.tickets_30d / max(1.0, normal)
    words = f"{inputs.tickets_30d} tickets in 30 days vs {normal:.1f}/month normally"
    if ratio > 1:
        words = f"{_times(ratio)}x normal ticket volume ({words})"
    return Observation(_bounded((ratio - 1.0) / 4.0), words)


def relationship_recency(inputs: ClientInputs, ctx: FeatureContext) -> Observation:
    if inputs.last_csm_contact is None:
        return Observation(1.0, "no CSM contact on record")
    days = (inputs.as_of - inputs.last_csm_contact.date()).days
    return Observation(_bounded((days - 14) / 76), f"last CSM contact {days} days ago")


def nps(inputs: ClientInputs, ctx: FeatureContext) -> Observation:
    if inputs.latest_nps is None:
        return Observation(None, "no NPS response")
    score = inputs.latest_nps
    kind = "detractor" if score <= 6 else "passive" if score <= 8 else "promoter"
    return Observation(_bounded((8 - score) / 8), f"NPS score of {score} ({kind})")


def payment_issues(inputs: ClientInputs, ctx: FeatureContext) -> Observation:
    count = inputs.overdue_invoices
    if not count:
        return Observation(0.0, "no overdue invoices")
    noun = "invoice" if count == 1 else "invoices"
    return Observation(_bounded(count / 2), f"{count} overdue {noun}, ${inputs.overdue_amount:,.0f}")


def champion_inactivity(inputs: ClientInputs, ctx: FeatureContext) -> Observation:
    name = inputs.champion_name
    if name is None:
        return Observation(None, "no champion on record")
    if inputs.champion_last_login is None:
        return Observation(1.0, f"champion {name} has never logged in")
    days = (inputs.as_of - inputs.champion_last_login.date()).days
    return Observation(_bounded((days - 7) / 30), f"champion {name} no login in {days} days")


def renewal_proximity(inputs: ClientInputs, ctx: FeatureContext) -> Observation:
    days = inputs.days_to_renewal
    if days is None:
        return Observation(None, "no renewal date")
    words = f"renewal in {days} days" if days >= 0 else f"renewal date passed {-days} days ago"
    return Observation(_bounded((180 - days) / 180), words)


def tenure(inputs: ClientInputs, ctx: FeatureContext) -> Observation:
    days = (inputs.as_of - ctx.contract_start).days
    if days < 0:
        words = f"contract starts in {-days} days"
    elif days < 365:
        words = f"client for {days // 30} months"
    else:
        words = f"client for {days / 365:.1f} years"
    return Observation(_bounded((days - 365) / 365, -1.0, 1.0), words)


FEATURES: dict[str, Callable[[ClientInputs, FeatureContext], Observation]] = {
    "usage_trend": usage_trend,
    "adoption_gap": adoption_gap,
    "support_load": support_load,
    "relationship_recency": relationship_recency,
    "nps": nps,
    "payment_issues": payment_issues,
    "champion_inactivity": champion_inactivity,
    "renewal_proximity": renewal_proximity,
    "tenure": tenure,
}


def client_features(inputs: ClientInputs, ctx: FeatureContext) -> FeatureVector:
    """Compute every feature of one client; missing ones hold the healthy reference 0."""
    observations = {name: feature(inputs, ctx) for name, feature in FEATURES.items()}
    return FeatureVector(
        values={name: 0.0 if seen.value is None else seen.value for name, seen in observations.items()},
        missing=frozenset(name for name, seen in observations.items() if seen.value is None),
        details={name: seen.detail for name, seen in observations.items()},
    )
