"""The deterministic briefing: what changed for one staff user and what to do, item by item.

Every number a briefing states is a field here, computed from domain services; the text (and any language
model's rephrasing of it) is rendered from this model and checked against it.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field


class ItemKind(StrEnum):
    ALERT = "alert"
    FOLLOW_UP = "follow_up"
    SCORE_CHANGE = "score_change"
    CHURN_JUMP = "churn_jump"
    RENEWAL = "renewal"
    EXPANSION = "expansion"
    MILESTONE = "milestone"
    DELIVERABLE = "deliverable"
    PAYMENT = "payment"
    OUTCOME_MISSING = "outcome_missing"
    TARGET_PROGRESS = "target_progress"


class BriefingItem(BaseModel):
    """One thing to know, about one client, with one suggested action."""

    kind: ItemKind
    client_id: int
    client_name: str
    priority: int = Field(ge=1, le=5)  # 1: do it first
    weight: float = 0.0  # orders items of equal priority: bigger first (points dropped, days overdue, ARR)
    headline: str  # one line; its figures are the values in `facts`
    action: str  # the one suggested next step
    facts: dict[str, Any] = Field(default_factory=dict)
    source_ids: dict[str, list[int]] = Field(default_factory=dict)  # alerts, snapshots, activities, ...

    def sort_key(self) -> tuple[int, float, str, str, int]:
        return (self.priority, -self.weight, self.kind.value, self.client_name, self.client_id)


class Briefing(BaseModel):
    """One user's briefing for their local day; `stale` briefings carry no items, only the reason."""

    user_id: int
    user_email: str
    user_name: str
    role: str
    workspace_id: int
    timezone: str
    generated_at: dt.datetime
    local_date: dt.date
    since: dt.datetime  # changes are measured from here: the last briefing, else a day before
    data_as_of: dt.date | None  # the newest score day
    data_computed_at: dt.datetime | None  # when scores were last recomputed
    stale: bool
    stale_reason: str | None = None
    items: list[BriefingItem] = Field(default_factory=list)
    more_items: int = 0  # left out to keep it short, the least urgent
    counts: dict[str, int] = Field(default_factory=dict)  # items by kind, before the cut

    @property
    def client_ids(self) -> list[int]:
        return sorted({item.client_id for item in self.items})

    @property
    def is_empty(self) -> bool:
        return not self.stale and not self.items
