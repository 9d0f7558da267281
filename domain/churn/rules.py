"""Pure churn math: probabilities per horizon, risk band, factor shares and impact, confidence, actions.

How the numbers are made (the contract callers and users rely on):

- Probability: p_h = sigmoid(intercept_h + sum(weight x feature)). Intercepts rise with the horizon,
  so p30 <= p60 <= p90 for every client (rounding to 4 places keeps the order).
- Risk band (seed 004, on the 90-day probability): low < 20%, medium 20-50% (both ends included),
  high > 50%.
- Factor share: a factor's contribution is weight x feature, in log-odds against a healthy client.
  Factors with a positive contribution raise risk; each one's share is its contribution over the sum
  of the positive contributions, so shares sum to 1 over the factors that raise risk. Factors that
  lower risk have share 0.
- Impact: by the contribution's size, not its share (a lone small factor is still small): high when it
  at least doubles the odds (|contribution| >= ln 2), medium from 1.3x (ln 1.3), low below.
- Confidence = completeness x (0.6 + 0.4 x decisiveness), rounded to 2 places. Completeness is the
  share of the model's total |weight| whose feature had data. Decisiveness is the 90-day log-odds'
  distance to the nearest threshold where the band or the actions change (20%, 40%, 50%, 70%), over 2,
  capped at 1. A full-data prediction sitting on a threshold gets 0.6; one far from any gets 1.0.
- Actions (seed 002, on the 90-day probability): above 0.7 assign high priority and prepare a personal
  retention offer; above 0.4 schedule a check-in. Then one playbook action (seed 004) per factor of high
  or medium impact, biggest share first. Recommendations only: nothing is sent or assigned.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from domain.churn.coefficients import HORIZONS, Coefficients
from domain.churn.features import FeatureVector

RiskBand = Literal["low", "medium", "high"]
Impact = Literal["high", "medium", "low"]

LOW_BELOW = 0.20
HIGH_ABOVE = 0.50
CHECK_IN_ABOVE = 0.4
RETENTION_ABOVE = 0.7
DECISION_THRESHOLDS = (LOW_BELOW, CHECK_IN_ABOVE, HIGH_ABOVE, RETENTION_ABOVE)
HIGH_IMPACT = math.log(2.0)
MEDIUM_IMPACT = math.log(1.3)

PLAYBOOK: dict[str, str] = {
    "usage_trend": "Review the usage drop with the client admin and agree a re-engagement plan",
    "adoption_gap": "Offer training on underutilized features",
    "support_load": "Review recent support tickets and escalate unresolved issues",
    "relationship_recency": "Schedule a call with the primary contact",
    "nps": "Request an NPS follow-up interview",
    "payment_issues": "Settle the overdue invoices with the billing contact",
    "champion_inactivity": "Call the champion and confirm they are still in role",
    "renewal_proximity": "Start the renewal conversation now",
    "tenure": "Check the new account's onboarding outcomes",
}


def sigmoid(z: float) -> float:
    # Split by sign so exp never overflows for extreme log-odds.
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def logit(p: float) -> float:
    p = min(max(p, 1e-12), 1.0 - 1e-12)
    return math.log(p / (1.0 - p))


def risk_band(probability_90d: float) -> RiskBand:
    if probability_90d < LOW_BELOW:
        return "low"
    if probability_90d > HIGH_ABOVE:
        return "high"
    return "medium"


def impact_of(contribution: float) -> Impact:
    size = abs(contribution)
    if size >= HIGH_IMPACT:
        return "high"
    if size >= MEDIUM_IMPACT:
        return "medium"
    return "low"


@dataclass(frozen=True, slots=True)
class FactorEffect:
    factor: str
    value: float  # scaled feature value
    contribution: float  # log-odds against a healthy client
    share: float  # of the positive contributions; 0 for factors that do not raise risk
    impact: Impact
    detail: str
    missing: bool


def factor_effects(weights: Mapping[str, float], vector: FeatureVector) -> list[FactorEffect]:
    """Every feature's effect, risk-raising ones first by share, then the rest by contribution."""
    contributions = {name: weights[name] * vector.values[name] for name in weights}
    positive = sum(value for value in contributions.values() if value > 0)
    effects = [
        FactorEffect(
            factor=name,
            value=vector.values[name],
            contribution=contribution,
            share=contribution / positive if contribution > 0 else 0.0,
            impact=impact_of(contribution),
            detail=vector.details.get(name, ""),
            missing=name in vector.missing,
        )
        for name, contribution in contributions.items()
    ]
    return sorted(effects, key=lambda effect: (-effect.contribution, effect.factor))


def confidence(weights: Mapping[str, float], missing: frozenset[str], logit_90d: float) -> float:
    total = sum(abs(weight) for weight in weights.values())
    present = sum(abs(weight) for name, weight in weights.items() if name not in missing)
    completeness = present / total if total else 0.0
    margin = min(abs(logit_90d - logit(threshold)) for threshold in DECISION_THRESHOLDS)
    decisiveness = min(1.0, margin / 2.0)
    return round(completeness * (0.6 + 0.4 * decisiveness), 2)


@dataclass(frozen=True, slots=True)
class Prediction:
    probabilities: dict[int, float]  # horizon in days -> probability, rounded to 4 places
    band: RiskBand
    confidence: float
    effects: list[FactorEffect]

    @property
    def probability_90d(self) -> float:
        return self.probabilities[90]


def predict(coefficients: Coefficients, vector: FeatureVector) -> Prediction:
    """Score one client's features with a model: probabilities, band, factors, confidence."""
    linear = sum(coefficients.weights[name] * vector.values[name] for name in coefficients.weights)
    probabilities = {h: round(sigmoid(coefficients.intercepts[h] + linear), 4) for h in HORIZONS}
    logit_90d = coefficients.intercepts[90] + linear
    return Prediction(
        probabilities=probabilities,
        band=risk_band(probabilities[90]),
        confidence=confidence(coefficients.weights, vector.missing, logit_90d),
        effects=factor_effects(coefficients.weights, vector),
    )


def recommended_actions(probability_90d: float, effects: Sequence[FactorEffect]) -> list[str]:
    """Seed 002's threshold actions, then a playbook action per high/medium factor raising risk."""
    actions: list[str] = []
    if probability_90d > RETENTION_ABOVE:
        actions += ["Assign to client success as high priority", "Prepare a personal retention offer"]
    elif probability_90d > CHECK_IN_ABOVE:
        actions.append("Schedule a check-in")
    ranked = sorted((effect for effect in effects if effect.share > 0), key=lambda effect: -effect.share)
    for effect in ranked:
        action = PLAYBOOK.get(effect.factor)
        if effect.impact != "low" and action and action not in actions:
            actions.append(action)
    return actions
