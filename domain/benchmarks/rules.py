"""Pure benchmark arithmetic: percentile ranks, cohort bands and gap analysis. No I/O.

Percentile rank (seed 004 F7): the percent of the cohort strictly below the client plus half of the
cohort tied with it, the client included. A client alone at the top of a 4-member cohort therefore
ranks (3 + 0.5) / 4 = 87.5; everyone tied ranks 50. For "lower is better" metrics (support tickets)
the rank counts the members strictly above instead, so a higher percentile is always better.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from domain.enums import LifecycleStatus

MIN_COHORT_FOR_PERCENTILE = 2  # a cohort of one has nobody to compare with
# Peers are live customers: churned accounts and prospects would drag every average down.
NOT_PEERS = frozenset({LifecycleStatus.CHURNED, LifecycleStatus.PROSPECT})


class CohortKind(StrEnum):
    TIER = "tier"
    INDUSTRY = "industry"
    SIZE = "size"
    TENURE = "tenure"


# Employee-count bands: (label, lowest count in the band). Compliance programmes change shape at
# roughly these sizes (a part-time officer, a team, a department, a global function).
SIZE_BANDS: tuple[tuple[str, int], ...] = (
    ("1-249 employees", 0),
    ("250-999 employees", 250),
    ("1,000-4,999 employees", 1_000),
    ("5,000-19,999 employees", 5_000),
    ("20,000+ employees", 20_000),
)
UNKNOWN_SIZE = "size unknown"

# Tenure bands by whole months since the contract started: (label, lowest month in the band).
TENURE_BANDS: tuple[tuple[str, int], ...] = (
    ("under 6 months", 0),
    ("6-12 months", 6),
    ("1-2 years", 12),
    ("2-4 years", 24),
    ("4+ years", 48),
)


def percentile_rank(value: float, cohort: Sequence[float], *, lower_is_better: bool = False) -> float:
    """Percent of `cohort` (which includes `value`) strictly worse than `value`, plus half the ties."""
    if not cohort:
        raise ValueError("percentile of an empty cohort")
    worse = sum(1 for other in cohort if (other > value if lower_is_better else other < value))
    ties = sum(1 for other in cohort if other == value)
    return (worse + ties / 2) / len(cohort) * 100.0


def percentile_ranks(values: Sequence[float], *, lower_is_better: bool = False) -> list[float]:
    """percentile_rank of every value within `values` itself, in O(n log n) for large cohorts."""
    ordered = sorted(values)
    size = len(ordered)
    ranks = []
    for value in values:
        below, not_above = bisect_left(ordered, value), bisect_right(ordered, value)
        worse = size - not_above if lower_is_better else below
        ranks.append((worse + (not_above - below) / 2) / size * 100.0)
    return ranks


def size_band(employee_count: int | None) -> str:
    if employee_count is None:
        return UNKNOWN_SIZE
    label = SIZE_BANDS[0][0]
    for name, lowest in SIZE_BANDS:
        if employee_count >= lowest:
            label = name
    return label


def months_ago(as_of: dt.date, months: int) -> dt.date:
    """The same day `months` months before as_of (clipped to the month's end, so Mar 31 - 1 = Feb 28/29)."""
    return as_of - relativedelta(months=months)


def tenure_band(contract_start: dt.date, as_of: dt.date) -> str:
    """A client is in the highest band whose lower bound it has reached: started on or before as_of - N months."""
    label = TENURE_BANDS[0][0]
    for name, lowest in TENURE_BANDS:
        if contract_start <= months_ago(as_of, lowest):
            label = name
    return label


@dataclass(frozen=True, slots=True)
class MetricComparison:
    metric: str
    value: float | None
    cohort_average: float | None
    lower_is_better: bool


@dataclass(frozen=True, slots=True)
class Gap:
    metric: str
    value: float
    cohort_average: float
    shortfall: float  # how far the client is on the wrong side of the average, as a share of it


def gap_analysis(comparisons: Sequence[MetricComparison]) -> list[Gap]:
    """Metrics where the client does worse than the cohort average, the largest relative shortfall first.

    Metrics have different units (points, ratios, tickets), so gaps are ranked by the shortfall as a
    share of the cohort average: 60 health against an average of 80 is a 25% shortfall.
    """
    gaps = []
    for item in comparisons:
        if item.value is None or item.cohort_average is None or item.cohort_average == 0:
            continue
        worse_by = item.value - item.cohort_average if item.lower_is_better else item.cohort_average - item.value
        if worse_by > 0:
            gaps.append(Gap(item.metric, item.value, item.cohort_average, worse_by / item.cohort_average))
    return sorted(gaps, key=lambda gap: (-gap.shortfall, gap.metric))


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None
