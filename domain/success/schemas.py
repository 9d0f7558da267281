"""Pydantic views of the client success layer (seed 000): what success services return, never ORM rows.

Every view names the row ids it was built from and the `as_of` day it was read or written on.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from domain.enums import InterventionKind, LifecycleStatus, MetricDirection, RiskStatus
from domain.success.rules import OutcomeStatus

Sentiment = Literal["positive", "neutral", "negative"]
Severity = Literal["low", "medium", "high", "critical"]


class ResultTargetView(BaseModel):
    """The outcome contract: current state -> target state on one metric by a date."""

    id: int
    client_id: int
    as_of: dt.date
    current_state: str
    target_state: str
    metric: str
    unit: str
    direction: MetricDirection
    current_value: Decimal
    target_value: Decimal
    start_date: dt.date
    target_date: dt.date
    is_active: bool


class ResultTargetSet(BaseModel):
    """The new active target and the one it replaced (kept, inactive, as history)."""

    as_of: dt.date
    target: ResultTargetView
    replaced: ResultTargetView | None


class MetricValue(BaseModel):
    value: Decimal
    unit: str


class BaselineView(BaseModel):
    id: int
    client_id: int
    as_of: dt.date
    captured_on: dt.date
    metrics: dict[str, MetricValue]
    notes: str | None


class InterventionView(BaseModel):
    id: int
    client_id: int
    as_of: dt.date
    kind: InterventionKind
    title: str
    description: str | None
    occurred_on: dt.date


class OutcomeEntryView(BaseModel):
    id: int
    client_id: int
    as_of: dt.date
    metric: str
    unit: str
    value: Decimal
    week_start: dt.date
    notes: str | None


class OutcomeEntryRecorded(BaseModel):
    """A scorecard value as stored (in the target's unit), with what was typed and what it replaced."""

    as_of: dt.date
    entry: OutcomeEntryView
    entered_value: Decimal
    entered_unit: str
    converted: bool
    previous_value: Decimal | None  # the week's earlier value when this entry corrected it


class RiskView(BaseModel):
    id: int
    client_id: int
    as_of: dt.date
    description: str
    severity: str
    status: RiskStatus
    raised_on: dt.date
    resolved_at: dt.datetime | None
    resolution: str | None


class FeedbackView(BaseModel):
    id: int
    client_id: int
    as_of: dt.date
    contact_id: int | None
    contact_name: str | None
    question: str
    response: str
    sentiment: str | None
    received_on: dt.date


class ProgressView(BaseModel):
    """Where the target metric stands: baseline -> latest against the target, and against the calendar."""

    target_id: int
    baseline_id: int | None  # None when the target's own current value stood in for a missing baseline
    latest_entry_id: int | None
    baseline_source: Literal["baseline", "target"]
    metric: str
    unit: str
    direction: MetricDirection
    baseline_value: Decimal
    latest_value: Decimal | None
    latest_week: dt.date | None
    target_value: Decimal
    absolute_change: Decimal | None  # latest - baseline
    percent_change: Decimal | None  # relative to the baseline, 1 decimal place
    raw_progress: float | None  # (latest - baseline) / (target - baseline), unclamped
    progress: float | None  # raw_progress clamped to [0, 1]
    expected_progress: float  # elapsed share of start_date -> target_date
    status: OutcomeStatus


class SuccessData(BaseModel):
    """Everything of a client's success layer as of a day (seed 000's GET client-success)."""

    client_id: int
    client_name: str
    lifecycle_status: LifecycleStatus
    as_of: dt.date
    target: ResultTargetView | None
    target_history: list[ResultTargetView]  # earlier, inactive targets, newest first
    baseline: BaselineView | None  # the latest snapshot on or before as_of
    interventions: list[InterventionView]  # in date order
    outcome_entries: list[OutcomeEntryView]  # the target metric's, oldest week first
    risks: list[RiskView]  # open first, then resolved; newest first within each
    feedback: list[FeedbackView]  # newest first
    progress: ProgressView | None
    proof_post_ids: list[int]
    source_ids: dict[str, list[int]] = Field(default_factory=dict)


class ProofNumbers(BaseModel):
    """The measured numbers a proof post states, each from a stored row."""

    metric: str
    unit: str
    baseline_value: Decimal
    baseline_date: dt.date
    latest_value: Decimal
    latest_week: dt.date
    target_value: Decimal
    target_date: dt.date
    absolute_change: Decimal
    percent_change: Decimal | None
    progress_percent: int  # clamped progress x 100, rounded
    weeks_measured: int  # the target metric's scorecard entries on or before as_of


class ProofPostView(BaseModel):
    id: int
    client_id: int
    client_name: str
    as_of: dt.date
    title: str
    body: str
    case_study_bullets: list[str]
    proposal_snippet: str
    quote: str | None
    numbers: ProofNumbers
    source_ids: dict[str, list[int]]
