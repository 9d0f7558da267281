"""Pure portfolio rules: who sees the team, urgency, renewal buckets, averages and shares. No I/O.

Urgency (seed 004 F1 "clients sorted by priority", F6): how much attention a client needs now.

    health_risk = (100 - health) / 100                           0 (perfect) .. 1 (zero health)
    risk        = health_risk                                    without a churn prediction
                = 0.5 x health_risk + 0.5 x churn_probability    with one (the 90-day probability)
                = 0.5                                            with neither (unknown: middling)
    proximity   = 1 / max(1, days_to_renewal / 30)               1 within a month (or already past),
                                                                 0.5 at 60 days, 0.1 at 300; a client
                                                                 without a renewal date counts as 365
    arr_k       = max(1, ARR / 1000)                             ARR in thousands; at least 1 so a client
                                                                 without ARR still ranks by risk and time
    urgency     = round(risk x arr_k x proximity, 2)

Worked example: health 40, churn 60%, ARR 120,000, renewal in 60 days -> risk 0.5x0.6 + 0.5x0.6 = 0.6,
proximity 1/2 = 0.5, urgency 0.6 x 120 x 0.5 = 36.0. Health 30, no prediction, ARR 50,000, renewal in 15
days -> 0.7 x 50 x 1 = 35.0, so the first client comes first.

Renewal buckets: "0-30" up to 30 days away, "31-60", "61-90", "90+" beyond.
At risk: health status AT_RISK or CRITICAL. Prospects and churned clients are not in the portfolio.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Literal

from domain.enums import HealthStatus, LifecycleStatus, Role

# Roles that look at other people's work: everyone's follow-ups, another CSM's summary, CSM performance.
TEAM_VIEW_ROLES = frozenset({Role.VP_CLIENT_SUCCESS, Role.VP_SALES, Role.ADMIN})
AT_RISK_STATUSES = (HealthStatus.AT_RISK, HealthStatus.CRITICAL)
NOT_IN_PORTFOLIO = (LifecycleStatus.PROSPECT, LifecycleStatus.CHURNED)
RENEWAL_MONTH_DAYS = 30
NO_RENEWAL_DAYS = 365
CHURN_BLEND = 0.5

RenewalBucket = Literal["0-30", "31-60", "61-90", "90+"]
RENEWAL_BUCKETS: tuple[RenewalBucket, ...] = ("0-30", "31-60", "61-90", "90+")


def risk_of(health: float | None, churn_probability: float | None) -> float:
    """Risk from 0 to 1: the health shortfall, blended half and half with the churn probability if known."""
    if health is None and churn_probability is None:
        return 0.5
    if health is None:
        return float(churn_probability or 0.0)
    health_risk = (100.0 - max(0.0, min(100.0, health))) / 100.0
    if churn_probability is None:
        return health_risk
    return (1 - CHURN_BLEND) * health_risk + CHURN_BLEND * churn_probability


def renewal_proximity(days_to_renewal: int | None) -> float:
    days = NO_RENEWAL_DAYS if days_to_renewal is None else days_to_renewal
    return 1.0 / max(1.0, days / RENEWAL_MONTH_DAYS)


def arr_thousands(arr: Decimal | None) -> float:
    return max(1.0, float(arr or 0) / 1000.0)


def urgency(
    *, health: float | None, churn_probability: float | None, arr: Decimal | None, days_to_renewal: int | None
) -> float:
    """risk x ARR in thousands x renewal proximity (see the module docstring)."""
    value = risk_of(health, churn_probability) * arr_thousands(arr) * renewal_proximity(days_to_renewal)
    return round(value, 2)


def renewal_bucket(days_to_renewal: int) -> RenewalBucket:
    if days_to_renewal <= 30:
        return "0-30"
    if days_to_renewal <= 60:
        return "31-60"
    return "61-90" if days_to_renewal <= 90 else "90+"


def is_at_risk(status: HealthStatus | None) -> bool:
    return status in AT_RISK_STATUSES


def average(values: Iterable[float | None]) -> float | None:
    """Mean of the known values to one decimal; None when none is known."""
    known = [value for value in values if value is not None]
    return round(sum(known) / len(known), 1) if known else None


def change(now: float | None, then: float | None) -> float | None:
    return None if now is None or then is None else round(now - then, 1)


def share(part: Decimal, whole: Decimal) -> float:
    """Percentage of `whole`, one decimal; 0 when the whole is 0."""
    return round(float(part / whole) * 100, 1) if whole else 0.0
