"""Seed 002's INTERVENTION_TRIGGERS: each condition is a pure function of a client's facts. No I/O.

A condition returns a Finding (the evidence in plain words plus the numbers behind it) or None. Thresholds
are compared in integer percent so "at the threshold" means exactly that on every platform.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.enums import ContractTier
from domain.onboarding.path_rules import StepStatus, humanize
from domain.scoring.inputs import ClientInputs
from domain.scoring.metrics import MetricContext, feature_adoption

NO_LOGIN_DAYS = 7  # days without any platform activity (a login opens every session)
LOW_ADOPTION_PERCENT = 40  # below this share of licensed features actively used (seed 004 F5's Active Use)
HIGH_USAGE_PERCENT = 80  # monthly active users at or above this share of licensed users ...
UPGRADEABLE_TIERS = frozenset({ContractTier.STARTER, ContractTier.PROFESSIONAL})  # ... on a tier with a next tier
APPROACHING_LIMIT_PERCENT = 95  # monthly active users at or above this share of licensed users, any tier
ACTIVITY_LOOKBACK_DAYS = 60  # gather_inputs reads usage this far back; older activity is "none on record"
MAX_ACTION_LENGTH = 300  # InterventionRun.recommended_action


@dataclass(frozen=True, slots=True)
class ClientFacts:
    """What the conditions read about one client on one day."""

    name: str
    customer_since: dt.date  # contract start
    inputs: ClientInputs
    features: Mapping[str, tuple[str, float]]  # the workspace catalogue: key -> (module, expected uses/30 days)
    onboarding_started_on: dt.date | None = None
    missed_onboarding: tuple[StepStatus, ...] = ()  # empty once fully activated or when not onboarding


@dataclass(frozen=True, slots=True)
class Finding:
    evidence: str
    details: dict[str, Any] = field(default_factory=dict)


Condition = Callable[[ClientFacts], Finding | None]


def no_login_7_days(facts: ClientFacts) -> Finding | None:
    as_of, last = facts.inputs.as_of, facts.inputs.last_active_day
    if last is not None:
        days = (as_of - last).days
        if days < NO_LOGIN_DAYS:
            return None
        return Finding(f"no login for {days} days (last activity {last.isoformat()})", {"days_inactive": days})
    tenure = (as_of - facts.customer_since).days
    if tenure < NO_LOGIN_DAYS:
        return None  # a brand-new client has had no chance to log in yet
    if tenure <= ACTIVITY_LOOKBACK_DAYS:
        return Finding(f"no login since the contract started {tenure} days ago", {"days_inactive": tenure})
    return Finding(
        f"no login in the last {ACTIVITY_LOOKBACK_DAYS} days",
        {"days_inactive": None, "lookback_days": ACTIVITY_LOOKBACK_DAYS},
    )


def low_client_adoption(facts: ClientFacts) -> Finding | None:
    reading = feature_adoption(facts.inputs, MetricContext(features=facts.features))
    if reading is None:
        return None  # nothing licensed, or no usage at all to judge adoption by
    active, unused = reading.details["active"], reading.details["unused"]
    licensed = len(active) + len(unused)
    if len(active) * 100 >= LOW_ADOPTION_PERCENT * licensed:
        return None
    return Finding(reading.words, {"active_features": active, "unused_features": unused, "licensed": licensed})


def stuck_onboarding(facts: ClientFacts) -> Finding | None:
    if not facts.missed_onboarding or facts.onboarding_started_on is None:
        return None
    days = (facts.inputs.as_of - facts.onboarding_started_on).days
    missed = "; ".join(
        f"day {status.step.day} ({', '.join(humanize(action) for action in status.missing_actions)})"
        for status in facts.missed_onboarding
    )
    details = {
        "onboarding_day": days,
        "missed_actions": [action for status in facts.missed_onboarding for action in status.missing_actions],
        "step_interventions": [status.intervention for status in facts.missed_onboarding if status.intervention],
    }
    return Finding(f"onboarding stuck on day {days}, missed {missed}", details)


def high_usage_no_upgrade(facts: ClientFacts) -> Finding | None:
    inputs = facts.inputs
    if inputs.tier not in UPGRADEABLE_TIERS:
        return None
    share = _seat_share(inputs, HIGH_USAGE_PERCENT)
    if share is None:
        return None
    words = f"{share.evidence} on the {inputs.tier.value.title()} tier"
    return Finding(words, share.details | {"tier": inputs.tier.value})


def approaching_limits(facts: ClientFacts) -> Finding | None:
    return _seat_share(facts.inputs, APPROACHING_LIMIT_PERCENT)


def _seat_share(inputs: ClientInputs, percent: int) -> Finding | None:
    licensed, mau = inputs.licensed_user_count, inputs.mau
    if not licensed or mau is None or mau * 100 < percent * licensed:
        return None
    words = f"{mau} of {licensed} licensed users active in 30 days ({mau / licensed:.0%})"
    return Finding(words, {"monthly_active_users": mau, "licensed_users": licensed})


CONDITIONS: dict[str, Condition] = {
    "no_login_7_days": no_login_7_days,
    "low_client_adoption": low_client_adoption,
    "stuck_onboarding": stuck_onboarding,
    "high_usage_no_upgrade": high_usage_no_upgrade,
    "approaching_limits": approaching_limits,
}

# (condition, action, template) exactly as seed 002 lists them; tenants may disable or re-template each.
DEFAULT_RULES: tuple[tuple[str, str, str], ...] = (
    ("no_login_7_days", "send_re_engagement_email", "we_miss_you"),
    ("low_client_adoption", "send_adoption_tips", "boost_client_engagement"),
    ("stuck_onboarding", "offer_setup_call", "lets_get_you_started"),
    ("high_usage_no_upgrade", "send_upgrade_benefits", "unlock_more_features"),
    ("approaching_limits", "notify_usage_limits", "reaching_plan_limits"),
)

_ACTION_WORDS = {
    "send_re_engagement_email": "send the '{template}' re-engagement email",
    "send_adoption_tips": "send adoption tips (the '{template}' email)",
    "offer_setup_call": "offer a setup call (the '{template}' email)",
    "send_upgrade_benefits": "share the upgrade benefits (the '{template}' email)",
    "notify_usage_limits": "tell them they are nearing their plan limits (the '{template}' email)",
}


def recommended_action(*, client_name: str, finding: Finding, action: str, template: str) -> str:
    """One line for the CSM: the client, its data, and what to do. Advice only: nothing is sent."""
    wording = _ACTION_WORDS.get(action, humanize(action) + " (the '{template}' template)")
    prefix, suffix = f"{client_name}: ", f" — {wording.format(template=humanize(template))}"
    evidence, room = finding.evidence, MAX_ACTION_LENGTH - len(prefix) - len(suffix)
    if len(evidence) > room:  # shorten the evidence, never the advice
        evidence = evidence[: max(room - 1, 0)] + "…"
    return f"{prefix}{evidence}{suffix}"[:MAX_ACTION_LENGTH]
