"""Pure adoption rules (seed 004 F5): adoption levels, usage trends and the adoption score. No I/O."""

from __future__ import annotations

from collections.abc import Iterable

from domain.enums import AdoptionStatus, UsageTrend

LIGHT_USE_BELOW = 0.25  # under 25% of expected usage is Light Use
POWER_USE_ABOVE = 0.75  # over 75% is Power Use; 25% to 75% inclusive is Active Use
TREND_CHANGE = 0.20  # more than +-20% against the previous 30 days is a trend

# "Used" on the Adoption tab: any level with use in the last 30 days. Seed 004's mock-up counts Light
# Use ("Licensed features used: 5 of 8" with two Light Use rows; adoption score 62% = 5 / 8), so we do
# too. The health score's adoption component is stricter (Active Use and up); ACTIVELY_USED names that.
USED_LEVELS = frozenset({AdoptionStatus.LIGHT_USE, AdoptionStatus.ACTIVE_USE, AdoptionStatus.POWER_USE})
ACTIVELY_USED_LEVELS = frozenset({AdoptionStatus.ACTIVE_USE, AdoptionStatus.POWER_USE})
UNUSED_LICENSED_LEVELS = frozenset({AdoptionStatus.NOT_CONFIGURED, AdoptionStatus.NOT_USED})


def adoption_level(*, is_licensed: bool, is_configured: bool, uses_30_days: int, expected: float) -> AdoptionStatus:
    """The seed's six adoption levels for one feature.

    `expected` is uses per 30 days (after any seasonal factor); 0 means "any usage = adopted", so a
    single use is Power Use. Use of a feature proves it is set up, whatever the configured flag says.
    """
    if not is_licensed:
        return AdoptionStatus.NOT_LICENSED
    if uses_30_days <= 0:
        return AdoptionStatus.NOT_USED if is_configured else AdoptionStatus.NOT_CONFIGURED
    if expected <= 0:
        return AdoptionStatus.POWER_USE
    ratio = uses_30_days / expected
    if ratio < LIGHT_USE_BELOW:
        return AdoptionStatus.LIGHT_USE
    if ratio > POWER_USE_ABOVE:
        return AdoptionStatus.POWER_USE
    return AdoptionStatus.ACTIVE_USE


def usage_trend(current: int, previous: int) -> UsageTrend:
    """Compare the last 30 days with the 30 before: beyond +-20% is a trend, exactly 20% is still stable."""
    if current <= 0 and previous <= 0:
        return UsageTrend.NO_USE
    if previous <= 0:
        return UsageTrend.INCREASING
    change = (current - previous) / previous
    if change > TREND_CHANGE:
        return UsageTrend.INCREASING
    if change < -TREND_CHANGE:
        return UsageTrend.DECREASING
    return UsageTrend.STABLE


def adoption_score(levels: Iterable[AdoptionStatus]) -> float | None:
    """Used licensed features / licensed features x 100; None when nothing is licensed."""
    licensed = [level for level in levels if level is not AdoptionStatus.NOT_LICENSED]
    if not licensed:
        return None
    return sum(1 for level in licensed if level in USED_LEVELS) / len(licensed) * 100.0
