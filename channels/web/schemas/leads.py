"""Seed 000's POST /api/leads/{id}/client-success bodies: {type, payload} (camelCase as the seed writes it)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from domain.enums import InterventionKind, MetricDirection
from domain.success.schemas import (
    BaselineView,
    FeedbackView,
    InterventionView,
    OutcomeEntryRecorded,
    ResultTargetSet,
    RiskView,
)

Number = Annotated[Decimal, Field(allow_inf_nan=False, max_digits=18, decimal_places=6)]
Text = Annotated[str, Field(min_length=1, max_length=2000)]


def _alias(*names: str) -> AliasChoices:
    return AliasChoices(*names)


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=True)


class ResultTargetPayload(_Payload):
    current_state: Text = Field(validation_alias=_alias("currentState", "current_state"))
    target_state: Text = Field(validation_alias=_alias("targetState", "target_state"))
    metric: Annotated[str, Field(min_length=1, max_length=200)]
    unit: Annotated[str, Field(min_length=1, max_length=50)]
    direction: MetricDirection
    current_value: Number = Field(validation_alias=_alias("currentValue", "current_value"))
    target_value: Number = Field(validation_alias=_alias("targetValue", "target_value"))
    target_date: dt.date = Field(validation_alias=_alias("timeline", "targetDate", "target_date"))
    start_date: dt.date | None = Field(default=None, validation_alias=_alias("startDate", "start_date"))


class BaselinePayload(_Payload):
    captured_on: dt.date = Field(validation_alias=_alias("capturedOn", "captured_on"))
    value: Number
    unit: Annotated[str, Field(min_length=1, max_length=50)]
    notes: str | None = Field(default=None, max_length=5000)


class InterventionPayload(_Payload):
    kind: InterventionKind
    title: Annotated[str, Field(min_length=1, max_length=300)]
    occurred_on: dt.date = Field(validation_alias=_alias("occurredOn", "occurred_on"))
    description: str | None = Field(default=None, max_length=5000)


class OutcomeEntryPayload(_Payload):
    value: Number
    unit: Annotated[str, Field(min_length=1, max_length=50)]
    week_start: dt.date = Field(validation_alias=_alias("weekStart", "week_start"))
    metric: str | None = Field(default=None, max_length=200)
    notes: str | None = Field(default=None, max_length=5000)


class RiskPayload(_Payload):
    description: Text
    severity: Literal["low", "medium", "high", "critical"] = "medium"
    raised_on: dt.date | None = Field(default=None, validation_alias=_alias("raisedOn", "raised_on"))


class FeedbackPayload(_Payload):
    response: Text
    contact_id: int | None = Field(default=None, ge=1, le=2**31 - 1, validation_alias=_alias("contactId", "contact_id"))
    sentiment: Literal["positive", "neutral", "negative"] | None = None
    question: str | None = Field(default=None, min_length=1, max_length=500)
    received_on: dt.date | None = Field(default=None, validation_alias=_alias("receivedOn", "received_on"))


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ResultTargetIn(_Body):
    type: Literal["result_target"]
    payload: ResultTargetPayload


class BaselineIn(_Body):
    type: Literal["baseline"]
    payload: BaselinePayload


class InterventionIn(_Body):
    type: Literal["intervention"]
    payload: InterventionPayload


class OutcomeEntryIn(_Body):
    type: Literal["outcome_entry"]
    payload: OutcomeEntryPayload


class RiskIn(_Body):
    type: Literal["risk"]
    payload: RiskPayload


class ResolveRiskIn(_Body):
    type: Literal["resolve_risk"]
    risk_id: int = Field(ge=1, le=2**31 - 1, alias="riskId")
    resolution: str = Field(default="resolved", min_length=1, max_length=2000)


class FeedbackIn(_Body):
    type: Literal["feedback"]
    payload: FeedbackPayload


ClientSuccessIn = Annotated[
    ResultTargetIn | BaselineIn | InterventionIn | OutcomeEntryIn | RiskIn | ResolveRiskIn | FeedbackIn,
    Field(discriminator="type"),
]
ClientSuccessResult = ResultTargetSet | BaselineView | InterventionView | OutcomeEntryRecorded | RiskView | FeedbackView


class ClientSuccessWritten(BaseModel):
    success: bool = True
    type: str
    result: ClientSuccessResult
