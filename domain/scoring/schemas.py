"""Pydantic views of scores and their explanations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel

from domain.enums import HealthStatus, HealthTrend


class ComponentScore(BaseModel):
    name: str
    score: float | None  # None = insufficient data
    weight: float  # configured weight, points out of 100
    effective_weight: float  # after redistribution, points out of 100
    metric: str
    evidence: str
    raw: dict[str, Any]


class ScoreView(BaseModel):
    client_id: int
    client_name: str
    model_key: str
    day: dt.date
    overall: float
    status: HealthStatus
    trend: HealthTrend | None
    components: list[ComponentScore]
    insufficient: list[str]
    config_id: int
    snapshot_id: int


class Driver(BaseModel):
    component: str
    contribution: float  # points of overall change; all drivers sum to the change
    score_effect: float
    weight_effect: float
    score_before: float | None
    score_after: float | None
    weight_before: float  # effective, points out of 100
    weight_after: float
    evidence_before: str | None
    evidence_after: str | None


class PeriodEvent(BaseModel):
    day: dt.date
    kind: str
    description: str


class DriversReport(BaseModel):
    client_id: int
    client_name: str
    model_key: str
    from_day: dt.date
    to_day: dt.date
    score_before: float
    score_after: float
    change: float
    status_before: HealthStatus
    status_after: HealthStatus
    drivers: list[Driver]
    most_impactful_input: str | None
    insufficient: list[str]
    events: list[PeriodEvent]
    recommended_actions: list[str]
    snapshot_ids: list[int]
