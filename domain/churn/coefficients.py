"""The logistic churn model's coefficients: the shipped defaults, and how a stored model is read back.

logit(p_h) = intercept_h + sum(weight_f x feature_f), with features scaled as in features.py (0 = a
healthy reference client). A weight is the change in log-odds from the healthy reference to the
feature's extreme; exp(weight) is how many times the odds of churn multiply.

Default weights (model "default-1"; change them only together with DEFAULT_MODEL_VERSION):

| feature              | weight | sign | why, and what the size means                                              |
|----------------------|--------|------|---------------------------------------------------------------------------|
| usage_trend          |  -2.0  |  -   | usage falls before a client leaves; DAU down 50% adds +1.0 (odds x2.7),   |
|                      |        |      | growth lowers risk by as much. The strongest, earliest signal.             |
| adoption_gap         |  +1.5  |  +   | unused licences are shelfware at renewal; none of the licensed features in |
|                      |        |      | use adds +1.5 (x4.5), 3 of 5 unused +0.9.                                  |
| support_load         |  +1.5  |  +   | a ticket spike means friction; 3x normal volume adds +0.75 (x2.1).         |
| relationship_recency |  +1.2  |  +   | a relationship left alone decays; no CSM contact for 90 days adds +1.2.    |
| nps                  |  +1.6  |  +   | stated intent: NPS 6 adds +0.4 (x1.5), NPS 0 adds +1.6 (x5).               |
| payment_issues       |  +1.4  |  +   | unpaid invoices precede cancellations; one overdue +0.7 (x2), two +1.4.   |
| champion_inactivity  |  +1.5  |  +   | a quiet champion often means a departed one; 21 days adds +0.7,           |
|                      |        |      | 37+ days or never +1.5 (x4.5).                                             |
| renewal_proximity    |  +1.0  |  +   | churn happens at renewal; due within the horizon matters: 90 days out +0.5,|
|                      |        |      | due now +1.0 (x2.7). Smaller: a date is not a reason.                      |
| tenure               |  -0.6  |  -   | young accounts churn more: brand new +0.6, two years or more -0.6.         |

Intercepts: a healthy reference client has a 90-day churn probability of about 4% (logit -3.2), in line
with ~15% annual B2B SaaS churn. Shorter horizons assume a constant hazard: for small probabilities the
odds of churning within h days grow in proportion to h, so intercept_h = intercept_90 + ln(h / 90),
i.e. offsets of ln(1/3) = -1.10 for 30 days and ln(2/3) = -0.41 for 60 days. The same weights with
ordered intercepts give p30 <= p60 <= p90 for every client. A fitted model keeps these offsets from its
fitted 90-day intercept (training.py).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.churn.features import FEATURE_NAMES
from domain.errors import ValidationError

DEFAULT_MODEL_VERSION = "default-1"
HORIZONS: tuple[int, ...] = (30, 60, 90)

DEFAULT_WEIGHTS: dict[str, float] = {
    "usage_trend": -2.0,
    "adoption_gap": 1.5,
    "support_load": 1.5,
    "relationship_recency": 1.2,
    "nps": 1.6,
    "payment_issues": 1.4,
    "champion_inactivity": 1.5,
    "renewal_proximity": 1.0,
    "tenure": -0.6,
}
DEFAULT_INTERCEPT_90 = -3.2


def horizon_intercepts(intercept_90: float) -> dict[int, float]:
    """Per-horizon intercepts from the 90-day one under the constant-hazard offsets ln(h / 90)."""
    return {horizon: intercept_90 + math.log(horizon / 90) for horizon in HORIZONS}


@dataclass(frozen=True, slots=True)
class Coefficients:
    weights: dict[str, float]
    intercepts: dict[int, float]  # horizon in days -> intercept

    def to_json(self) -> dict[str, Any]:
        return {
            "weights": dict(self.weights),
            "intercepts": {str(horizon): value for horizon, value in self.intercepts.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Coefficients:
        """Read a stored model; refuse one that misses a feature or whose horizons are out of order."""
        try:
            weights = {name: float(data["weights"][name]) for name in FEATURE_NAMES}
            intercepts = {horizon: float(data["intercepts"][str(horizon)]) for horizon in HORIZONS}
        except (KeyError, TypeError, ValueError) as error:
            raise ValidationError(f"stored churn model coefficients are malformed (missing {error})") from error
        ordered = [intercepts[horizon] for horizon in HORIZONS]
        if ordered != sorted(ordered):
            raise ValidationError(f"churn model intercepts must not fall with the horizon: {ordered}")
        return cls(weights=weights, intercepts=intercepts)


DEFAULT_COEFFICIENTS = Coefficients(weights=dict(DEFAULT_WEIGHTS), intercepts=horizon_intercepts(DEFAULT_INTERCEPT_90))
