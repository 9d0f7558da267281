"""Bodies and results of seed 001's /api/client/success and seed 002's health, milestone and support routes."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, model_validator

from domain.enums import HealthStatus, SupportInteractionType
from domain.ingest.reports import IngestReport
from domain.insights.schemas import InsightView
from domain.onboarding.schemas import RecommendedAction
from domain.scoring.schemas import ComponentScore, ScoreView
from domain.usage.analytics_schemas import LoginHeatmap

ClientRef = Field(ge=1, le=2**31 - 1, validation_alias=AliasChoices("clientId", "client_id"))


class SuccessOverview(BaseModel):
    """Seed 001's GET: the success score with its breakdown, the client's insights, a 30-day heatmap."""

    client_id: int
    score: ScoreView | None  # None until the success score has been calculated
    insights: list[InsightView]
    heatmap: LoginHeatmap


class CalculateIn(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    client_id: int = ClientRef


class EngagementEventIn(BaseModel):
    """One engagement event as the client app sends it (seed 001 trackEngagementEvent)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    event_id: str = Field(min_length=1, max_length=128, validation_alias=AliasChoices("eventId", "event_id"))
    event_type: str = Field(min_length=1, max_length=40, validation_alias=AliasChoices("eventType", "event_type"))
    user_ref: str = Field(min_length=1, max_length=100, validation_alias=AliasChoices("userId", "user_ref", "user_id"))
    occurred_at: dt.datetime = Field(validation_alias=AliasChoices("occurredAt", "occurred_at", "timestamp"))
    feature_key: str | None = Field(
        default=None, max_length=64, validation_alias=AliasChoices("featureKey", "feature_key")
    )
    session_id: str | None = Field(
        default=None, max_length=100, validation_alias=AliasChoices("sessionId", "session_id")
    )
    duration_seconds: int | None = Field(default=None, ge=0, le=86_400 * 7)
    properties: dict[str, Any] | None = Field(default=None, validation_alias=AliasChoices("eventData", "properties"))

    def record(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class SuccessPatchIn(BaseModel):
    """mark-read and dismiss take insightId; track-event takes clientId and event."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    action: Literal["mark-read", "dismiss", "track-event"]
    insight_id: int | None = Field(
        default=None, ge=1, le=2**31 - 1, validation_alias=AliasChoices("insightId", "insight_id")
    )
    client_id: int | None = Field(
        default=None, ge=1, le=2**31 - 1, validation_alias=AliasChoices("clientId", "client_id")
    )
    event: EngagementEventIn | None = None

    @model_validator(mode="after")
    def _fields_for_action(self) -> SuccessPatchIn:
        if self.action == "track-event" and (self.client_id is None or self.event is None):
            raise ValueError("track-event needs clientId and event")
        if self.action != "track-event" and self.insight_id is None:
            raise ValueError(f"{self.action} needs insightId")
        return self


class SuccessPatched(BaseModel):
    action: str
    insight: InsightView | None = None
    ingest: IngestReport | None = None


class SupplierHealth(BaseModel):
    """Seed 002's GET /api/health/score: the points model's score and risk level."""

    supplier_id: int
    health_score: float
    risk_level: Literal["healthy", "at_risk", "critical"]
    status: HealthStatus
    calculated_on: dt.date
    components: list[ComponentScore]
    snapshot_id: int


class MilestoneIn(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    supplier_id: int = Field(ge=1, le=2**31 - 1, validation_alias=AliasChoices("supplierId", "supplier_id"))
    milestone_type: str = Field(
        min_length=1, max_length=64, validation_alias=AliasChoices("milestoneType", "milestone_type")
    )
    achieved_at: dt.datetime | None = Field(default=None, validation_alias=AliasChoices("achievedAt", "achieved_at"))


class Recommendations(BaseModel):
    supplier_id: int
    as_of: dt.date
    recommendations: list[RecommendedAction]  # open intervention runs, nothing sent


class ScheduleCallIn(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    supplier_id: int = Field(ge=1, le=2**31 - 1, validation_alias=AliasChoices("supplierId", "supplier_id"))
    type: SupportInteractionType = SupportInteractionType.CHECK_IN
    date: dt.date = Field(description="The day the call is booked for")
    notes: str | None = Field(default=None, max_length=2000)
