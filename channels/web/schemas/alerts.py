"""Request bodies of the alert lifecycle and alert settings endpoints."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.enums import AlertType


class SnoozeIn(BaseModel):
    """Seed 004 offers 1 day and 1 week; any whole number of days, or an end time, is accepted."""

    model_config = ConfigDict(extra="forbid")

    days: int | None = Field(default=None, ge=1, le=90)
    until: dt.datetime | None = None

    @model_validator(mode="after")
    def _one_of(self) -> SnoozeIn:
        if (self.days is None) == (self.until is None):
            raise ValueError("give either days or until")
        return self


class ResolveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    notes: str = Field(min_length=1, max_length=5000, description="What was done")


class AlertSettingsIn(BaseModel):
    """Only what is given changes; thresholds merge per alert type."""

    model_config = ConfigDict(extra="forbid")

    client_id: int | None = Field(default=None, ge=1, le=2**31 - 1, description="A client's overrides; else tenant")
    enabled: dict[AlertType, bool] | None = None
    thresholds: dict[AlertType, dict[str, Any]] | None = None
    quiet_hours_start: dt.time | None = None
    quiet_hours_end: dt.time | None = None
    clear_quiet_hours: bool = False

    @model_validator(mode="after")
    def _both_ends(self) -> AlertSettingsIn:
        if (self.quiet_hours_start is None) != (self.quiet_hours_end is None):
            raise ValueError("quiet hours need both a start and an end")
        return self
