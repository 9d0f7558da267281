"""Pydantic views of CSM activities, follow-ups, activity summaries and notes: never ORM rows."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from domain.enums import ActivityOutcome, ActivityType, NoteType

FollowUpState = Literal["overdue", "due_today", "upcoming", "completed"]


class ActivityView(BaseModel):
    """One logged interaction (seed 004 ClientActivity)."""

    id: int
    client_id: int
    client_name: str
    activity_type: ActivityType
    subject: str
    description: str | None
    performed_by_id: int | None
    performed_by_name: str | None
    contact_ids: list[int]
    occurred_at: dt.datetime
    duration_minutes: int | None
    outcome: ActivityOutcome | None
    outcome_notes: str | None
    follow_up_date: dt.date | None
    follow_up_completed: bool
    follow_up_completed_at: dt.datetime | None
    created_at: dt.datetime


class ActivityChanges(BaseModel):
    """Fields to change on an activity; only the fields given are changed (None clears an optional one)."""

    model_config = ConfigDict(extra="forbid")

    activity_type: ActivityType | None = None
    subject: str | None = None
    description: str | None = None
    occurred_at: dt.datetime | None = None
    duration_minutes: int | None = None
    contact_ids: list[int] | None = None
    outcome: ActivityOutcome | None = None
    outcome_notes: str | None = None
    follow_up_date: dt.date | None = None


class ActivityList(BaseModel):
    client_id: int
    client_name: str
    total: int  # activities the client has in all; `activities` holds the newest `limit` of them
    activities: list[ActivityView]


class FollowUpItem(BaseModel):
    activity_id: int
    client_id: int
    client_name: str
    activity_type: ActivityType
    subject: str
    follow_up_date: dt.date
    days_until_due: int  # negative when overdue
    state: FollowUpState
    performed_by_id: int | None
    performed_by_name: str | None
    contact_ids: list[int]
    completed_at: dt.datetime | None


class FollowUpList(BaseModel):
    """Follow-ups due up to `days_ahead` days after `as_of`, split by urgency, soonest first in each list."""

    as_of: dt.date
    days_ahead: int
    performer_id: int | None  # the actor for their own list; None when a leader sees everyone's
    overdue: list[FollowUpItem]
    due_today: list[FollowUpItem]
    upcoming: list[FollowUpItem]
    completed: list[FollowUpItem] = Field(default_factory=list)  # only with include_completed
    activity_ids: list[int]


class ClientTouch(BaseModel):
    client_id: int
    client_name: str
    activities: int
    minutes: int
    last_occurred_at: dt.datetime


class ActivitySummary(BaseModel):
    """What one person did with clients between two days, both included (UTC days)."""

    performer_id: int
    performer_name: str
    start: dt.date
    end: dt.date
    total_activities: int
    total_minutes: int  # activities without a duration count as 0
    by_type: dict[ActivityType, int]  # only types that occurred, in ActivityType order
    by_outcome: dict[ActivityOutcome, int]  # only outcomes that occurred, in ActivityOutcome order
    without_outcome: int
    clients_touched: list[ClientTouch]  # most activities first
    follow_ups_created: int
    follow_ups_open: int  # of those created, not yet completed
    activities: list[ActivityView]  # oldest first
    activity_ids: list[int]


class NoteView(BaseModel):
    id: int
    client_id: int
    client_name: str
    title: str | None
    content: str
    note_type: NoteType
    is_private: bool
    created_by_id: int | None
    created_by_name: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


class NoteChanges(BaseModel):
    """Fields to change on a note; only the fields given are changed (None clears the title)."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    content: str | None = None
    note_type: NoteType | None = None
    is_private: bool | None = None


class NoteList(BaseModel):
    client_id: int
    client_name: str
    notes: list[NoteView]  # newest first; others' private notes are never included
