"""Request bodies of the activity and note endpoints (seed 004's "Log CSM Activity" example)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.enums import ActivityOutcome, ActivityType, NoteType


class ActivityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    activity_type: ActivityType
    subject: str = Field(min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=10_000)
    occurred_at: dt.datetime = Field(description="When it happened, with a timezone")
    duration_minutes: int | None = Field(default=None, ge=0, le=24 * 60)
    client_contacts: list[int] = Field(default_factory=list, max_length=50, description="Contact ids present")
    outcome: ActivityOutcome | None = None
    outcome_notes: str | None = Field(default=None, max_length=5000)
    follow_up_required: bool = False
    follow_up_date: dt.date | None = None

    @model_validator(mode="after")
    def _follow_up_has_date(self) -> ActivityIn:
        if self.follow_up_required and self.follow_up_date is None:
            raise ValueError("follow_up_required needs a follow_up_date")
        return self


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    content: str = Field(min_length=1, max_length=20_000)
    title: str | None = Field(default=None, max_length=300)
    note_type: NoteType = NoteType.GENERAL
    is_private: bool = False
