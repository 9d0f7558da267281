"""What other demo rows need to know about a client's generated events, gathered as they are written."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from domain.demo.clock import history_start, utc_at
from domain.demo.event_sim import LOGIN, SimEvent
from domain.onboarding.milestone_definitions import DEFAULT_MILESTONES, MilestoneSeed
from domain.onboarding.models import MilestoneMeasure

WINDOW_DAYS = 30
DAY_SECONDS = 86_400
# The milestone definitions each event type can advance, so observe() only checks the relevant ones.
WATCHED: dict[str, list[MilestoneSeed]] = {}
for _milestone in DEFAULT_MILESTONES:
    WATCHED.setdefault(_milestone.event_type.value, []).append(_milestone)


@dataclass(slots=True)
class UsageStats:
    """Per-client facts from the events, so contacts, adoption and the client row agree with them.

    Moments are kept as "instants" (seconds since midnight of day 0) and turned into datetimes on request.
    """

    day_zero: dt.date
    recent_from: int  # day number of the first of the last 30 days
    previous_from: int  # day number of the first of the 30 days before those
    events: int = 0
    last_event: int | None = None
    last_login: dict[str, int] = field(default_factory=dict)
    recent_logins: Counter[str] = field(default_factory=Counter)
    previous_logins: Counter[str] = field(default_factory=Counter)
    feature_recent: Counter[str] = field(default_factory=Counter)
    feature_previous: Counter[str] = field(default_factory=Counter)
    feature_last: dict[str, int] = field(default_factory=dict)
    milestone_events: Counter[str] = field(default_factory=Counter)
    milestone_reached: dict[str, int] = field(default_factory=dict)
    milestone_users: dict[str, dict[str, int]] = field(default_factory=dict)  # key -> user -> first instant

    @classmethod
    def starting(cls, as_of: dt.date) -> UsageStats:
        day_zero = history_start(as_of)
        recent_from = (as_of - day_zero).days - (WINDOW_DAYS - 1)
        return cls(day_zero=day_zero, recent_from=recent_from, previous_from=recent_from - WINDOW_DAYS)

    def at(self, instant: int | None) -> dt.datetime | None:
        return None if instant is None else utc_at(self.day_zero) + dt.timedelta(seconds=instant)

    def observe(self, day_number: int, events: list[SimEvent]) -> None:
        """Fold one day's events (in time order; days in order) into the stats."""
        base, recent = day_number * DAY_SECONDS, day_number >= self.recent_from
        previous = not recent and day_number >= self.previous_from
        for second, _, user_ref, event_type, feature_key, _ in events:
            instant = base + second
            if event_type == LOGIN:
                self.last_login[user_ref] = instant  # events come in time order: the latest wins
                if recent or previous:
                    (self.recent_logins if recent else self.previous_logins)[user_ref] += 1
            elif feature_key is not None:
                self.feature_last[feature_key] = instant
                if recent or previous:
                    (self.feature_recent if recent else self.feature_previous)[feature_key] += 1
            for milestone in WATCHED.get(event_type, ()):
                self._milestone(milestone, user_ref, feature_key, instant)
        if events:
            self.last_event = base + events[-1][0]
        self.events += len(events)

    def milestones(self) -> dict[str, dt.datetime]:
        """When each default milestone was reached, as onboarding.milestones.detect_milestones decides it."""
        reached = dict(self.milestone_reached)
        for milestone in DEFAULT_MILESTONES:
            firsts = sorted((at, user) for user, at in self.milestone_users.get(milestone.key, {}).items())
            if len(firsts) >= milestone.threshold:
                reached[milestone.key] = firsts[milestone.threshold - 1][0]
        return {key: utc_at(self.day_zero) + dt.timedelta(seconds=instant) for key, instant in reached.items()}

    def _milestone(self, milestone: MilestoneSeed, user_ref: str, feature_key: str | None, instant: int) -> None:
        """Events arrive in (occurred_at, id) order, the order detect_milestones counts in."""
        if milestone.feature_key is not None and feature_key != milestone.feature_key:
            return
        if milestone.measure is MilestoneMeasure.DISTINCT_USERS:
            self.milestone_users.setdefault(milestone.key, {}).setdefault(user_ref, instant)
            return
        self.milestone_events[milestone.key] += 1
        if self.milestone_events[milestone.key] == milestone.threshold:
            self.milestone_reached[milestone.key] = instant
