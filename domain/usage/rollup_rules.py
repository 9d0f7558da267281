"""Pure rollup arithmetic: rolling distinct-user counts, fed one day at a time, and session averages.

Days are integer indexes into the rollup's span of days, which starts MAU_DAYS - 1 days before the
first day that gets a row (the look-back the monthly window needs) and runs to the last one.
"""

from __future__ import annotations

from collections.abc import Collection

WAU_DAYS = 7
MAU_DAYS = 30
LOOKBACK_DAYS = MAU_DAYS - 1
WEEKDAY_KEYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_NEVER = -MAU_DAYS  # "last seen" of a user not seen yet: their span ends before any day


class RollingUsers:
    """Daily, rolling 7-day, rolling 30-day and new user counts of one client.

    A user active on day d counts in a window of `width` days on days d .. d + width - 1; activity
    inside that span only extends it, so the user counts once per day however often they return.
    Spans go into difference arrays, so feeding a day costs O(users active that day).
    """

    def __init__(self, n_days: int, *, users_seen_before: Collection[str]) -> None:
        self._seen_before = users_seen_before
        self._last_seen: dict[str, int] = {}
        self._weekly_diff = [0] * (n_days + MAU_DAYS)
        self._monthly_diff = [0] * (n_days + MAU_DAYS)
        self._new = [0] * n_days
        self._daily = [0] * n_days
        self._weekly = self._monthly = 0
        self._summed_through = -1
        # A client with history before the look-back has rows from the first day on.
        self.first_day: int | None = 0 if users_seen_before else None

    def add_day(self, day: int, users: Collection[str]) -> None:
        """Record the distinct users active on `day`; days must arrive in increasing order."""
        if self.first_day is None:
            self.first_day = day
        self._daily[day] = len(users)
        last_seen, weekly, monthly = self._last_seen, self._weekly_diff, self._monthly_diff
        week_end, month_end = day + WAU_DAYS, day + MAU_DAYS
        new_users = 0
        for user in users:
            last = last_seen.get(user, _NEVER)
            last_seen[user] = day
            if last == _NEVER and user not in self._seen_before:
                new_users += 1
            # Days the previous visit's span covers already count this user; only the rest are added.
            # (Conditional expressions, not max(): this loop runs once per user-day of the window.)
            covered = last + WAU_DAYS
            weekly[covered if covered > day else day] += 1
            weekly[week_end] -= 1
            covered = last + MAU_DAYS
            monthly[covered if covered > day else day] += 1
            monthly[month_end] -= 1
        self._new[day] = new_users

    def counts(self, day: int) -> tuple[int, int, int, int]:
        """(daily, weekly, monthly, new) users on `day`, once every day up to it has been added."""
        while self._summed_through < day:
            self._summed_through += 1
            self._weekly += self._weekly_diff[self._summed_through]
            self._monthly += self._monthly_diff[self._summed_through]
        return self._daily[day], self._weekly, self._monthly, self._new[day]


def session_averages(*, sessions: int, actions: int, duration: int) -> tuple[int | None, float | None]:
    """Average session duration (whole seconds) and depth (actions per session); None without sessions."""
    if sessions == 0:
        return None, None
    return round(duration / sessions), round(actions / sessions, 2)
