"""Pure usage-analytics rules (seed 004 F4, US-015-010/012): changes, stickiness, power users, engagement.

No I/O: every function takes plain values, so the thresholds are tested without a database.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from domain.enums import EngagementStatus

INACTIVE_AFTER_DAYS = 14  # US-015-012: flag users who haven't logged in for 14+ days
QUIET_AFTER_DAYS = 7  # a week without activity is the early warning (seed 002: catch it before 30 days)
DECLINE_SHARE = 0.5  # sessions halved against the previous period
POWER_USER_SHARE = 0.2  # F4: power users are the top 20% by activity
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HOURS = 24


def change_ratio(value: float | None, baseline: float | None) -> float | None:
    """(value - baseline) / baseline; None when either is missing or the baseline is zero."""
    if value is None or baseline is None or baseline == 0:
        return None
    return (value - baseline) / baseline


def stickiness(average_dau: float | None, average_mau: float | None) -> float | None:
    """DAU / MAU over the same period; higher means users come back more days of the month."""
    if average_dau is None or not average_mau:
        return None
    return average_dau / average_mau


def weighted_average(pairs: Iterable[tuple[float | None, int]]) -> float | None:
    """Average of per-day averages weighted by each day's count (e.g. session duration by sessions)."""
    total = weight = 0.0
    for value, count in pairs:
        if value is not None and count > 0:
            total += value * count
            weight += count
    return total / weight if weight else None


def power_user_count(active_users: int) -> int:
    """How many users make the top 20%: at least one as soon as anyone is active."""
    return math.ceil(active_users * POWER_USER_SHARE) if active_users > 0 else 0


def top_users(event_counts: Mapping[str, int]) -> list[tuple[str, int]]:
    """The power users: the top 20% of active users by events, ties broken by user id for stability."""
    active = sorted(((ref, count) for ref, count in event_counts.items() if count > 0), key=lambda x: (-x[1], x[0]))
    return active[: power_user_count(len(active))]


def engagement_status(days_since_active: int | None, sessions: int, previous_sessions: int) -> EngagementStatus:
    """ACTIVE, DECLINING (quiet for a week, or sessions halved vs. the period before) or INACTIVE (14+ days)."""
    if days_since_active is None or days_since_active >= INACTIVE_AFTER_DAYS:
        return EngagementStatus.INACTIVE
    if days_since_active >= QUIET_AFTER_DAYS or sessions < previous_sessions * DECLINE_SHARE:
        return EngagementStatus.DECLINING
    return EngagementStatus.ACTIVE


def login_grid(days: Iterable[tuple[dt.date, Mapping[str, Any]]]) -> dict[str, list[int]]:
    """Weekday x hour login counts from each day's logins_by_hour; the day's date gives the weekday."""
    grid = {weekday: [0] * HOURS for weekday in WEEKDAYS}
    for day, by_hour in days:
        row = grid[WEEKDAYS[day.weekday()]]
        for hour, logins in (by_hour or {}).items():
            row[int(hour)] += int(logins)
    return grid


def peak_slot(grid: Mapping[str, Sequence[int]]) -> tuple[str, int] | None:
    """The busiest (weekday, hour); the earliest in the week wins a tie; None without logins."""
    best: tuple[str, int] | None = None
    best_logins = 0
    for weekday in WEEKDAYS:
        for hour, logins in enumerate(grid.get(weekday, [])):
            if logins > best_logins:
                best, best_logins = (weekday, hour), logins
    return best


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None
