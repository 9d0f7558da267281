"""Pure rules of the success layer: lifecycle gating, progress against a result target, on-track status.

Progress is the share of the distance from baseline to target that has been covered:

    progress = (latest - baseline) / (target - baseline)

The same formula serves both directions: for a lower-is-better metric (hours 10 -> 2) both the
numerator and the denominator are negative while things improve (latest 8: -2 / -8 = 0.25).
It is reported twice: `raw_progress` unclamped (negative = worse than the baseline, above 1 = past
the target) and `progress` clamped to [0, 1], the share a progress bar can show. When the baseline
already meets the target there is no distance to cover: progress is 1 if the latest value still meets
it, else 0.

Status against the timeline (expected progress = days elapsed / days from start to target date,
clamped to [0, 1]):
- achieved: the latest value meets the target (>= for higher-is-better, <= for lower-is-better);
- at-risk: progress is more than AT_RISK_MARGIN (0.15) behind the expected progress, or the target
  date has passed without the target being met;
- on-track: otherwise;
- no-data: no outcome entry yet, so nothing has been measured.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from domain.enums import LifecycleStatus, MetricDirection

SUCCESS_LIFECYCLES = (LifecycleStatus.APPROVED, LifecycleStatus.BUILDING, LifecycleStatus.SHIPPED)
AT_RISK_MARGIN = 0.15  # progress may trail the calendar by this much before the target is at risk


class OutcomeStatus(StrEnum):
    ON_TRACK = "on-track"
    AT_RISK = "at-risk"
    ACHIEVED = "achieved"
    NO_DATA = "no-data"


def success_layer_refusal(client_name: str, status: LifecycleStatus) -> str | None:
    """Why the success layer is closed for a client in this lifecycle status, or None when it is open."""
    if status in SUCCESS_LIFECYCLES:
        return None
    return (
        "the client success layer is shown only while a client is APPROVED, BUILDING or SHIPPED; "
        f"{client_name} is {status.value}"
    )


def target_direction_problem(direction: MetricDirection, current: Decimal, target: Decimal) -> str | None:
    """A target must be an improvement on the current value in the metric's direction."""
    if current == target:
        return "the target value must differ from the current value"
    if direction is MetricDirection.HIGHER_IS_BETTER and target < current:
        return f"for a higher-is-better metric the target ({target}) must be above the current value ({current})"
    if direction is MetricDirection.LOWER_IS_BETTER and target > current:
        return f"for a lower-is-better metric the target ({target}) must be below the current value ({current})"
    return None


def meets_target(direction: MetricDirection, value: Decimal, target: Decimal) -> bool:
    if direction is MetricDirection.HIGHER_IS_BETTER:
        return value >= target
    return value <= target


def raw_progress(direction: MetricDirection, baseline: Decimal, latest: Decimal, target: Decimal) -> float:
    """(latest - baseline) / (target - baseline); 1 or 0 when the baseline already meets the target."""
    if meets_target(direction, baseline, target):
        return 1.0 if meets_target(direction, latest, target) else 0.0
    return float((latest - baseline) / (target - baseline))


def clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return max(low, min(high, value))


def expected_progress(start: dt.date, target_date: dt.date, as_of: dt.date) -> float:
    """The share of the timeline that has elapsed on `as_of`."""
    total = (target_date - start).days
    if total <= 0:
        return 1.0
    return clamp((as_of - start).days / total)


def outcome_status(
    *, progress: float | None, achieved: bool, expected: float, target_date: dt.date, as_of: dt.date
) -> OutcomeStatus:
    if progress is None:
        return OutcomeStatus.NO_DATA
    if achieved:
        return OutcomeStatus.ACHIEVED
    if as_of > target_date or progress < expected - AT_RISK_MARGIN:
        return OutcomeStatus.AT_RISK
    return OutcomeStatus.ON_TRACK


@dataclass(frozen=True, slots=True)
class Change:
    absolute: Decimal  # latest - baseline, signed
    percent: Decimal | None  # relative to the baseline, 1 decimal place; None when the baseline is 0


def change_between(baseline: Decimal, latest: Decimal) -> Change:
    absolute = latest - baseline
    if baseline == 0:
        return Change(absolute, None)
    percent = (absolute / abs(baseline) * 100).quantize(Decimal("0.1"))
    return Change(absolute, percent)


def week_start(day: dt.date) -> dt.date:
    """The Monday of the week `day` falls in: a scorecard holds one value per metric and week."""
    return day - dt.timedelta(days=day.weekday())


def plain_number(value: Decimal) -> str:
    """A stored decimal as people write it: 19.0000 -> "19", 21.5000 -> "21.5", 1234 -> "1,234"."""
    normal = value.normalize()
    if normal == normal.to_integral_value():
        return f"{int(normal):,}"
    return f"{normal:,f}"
