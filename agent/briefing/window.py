"""The span a briefing covers: from the user's last briefing (or a day earlier) to now, in their local day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain.access import Actor

DEFAULT_LOOKBACK = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Window:
    actor: Actor
    now: dt.datetime
    as_of: dt.date  # the user's local date: "today" for follow-ups, deliverables and payments
    since: dt.datetime  # changes after this instant are news

    @property
    def since_day(self) -> dt.date:
        """The day scores are compared with: the last briefing's day, and never today itself."""
        return min(self.since.astimezone(dt.UTC).date(), self.as_of - dt.timedelta(days=1))

    @property
    def days_covered(self) -> int:
        return (self.as_of - self.since_day).days
