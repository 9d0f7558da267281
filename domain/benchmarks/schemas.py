"""Pydantic views of benchmarks (seed 004 F7, US-015-030/031)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel

from domain.benchmarks.rules import CohortKind

BenchmarkMetric = Literal["health", "usage_intensity", "adoption", "support_tickets"]


class MetricBenchmark(BaseModel):
    metric: BenchmarkMetric
    label: str
    value: float | None
    cohort_average: float | None  # over the cohort members with data, the client included
    percentile: float | None  # higher is always better; None without data or without peers with data
    members_with_data: int
    lower_is_better: bool


class GapItem(BaseModel):
    metric: str  # one of BenchmarkMetric
    label: str
    value: float
    cohort_average: float
    shortfall: float  # how far on the wrong side of the average, as a share of it (0.25 = 25% worse)


class PeerExample(BaseModel):
    """A cohort member with high health; named only when the actor may see that client."""

    client_id: int | None
    name: str  # "a cohort peer" when the actor may not see the client
    health: float
    usage_intensity: float | None
    adoption: float | None


class BenchmarkReport(BaseModel):
    client_id: int
    client_name: str
    as_of: dt.date
    cohort: CohortKind
    cohort_label: str
    cohort_size: int  # live clients of the tenant in the cohort, the client included
    metrics: list[MetricBenchmark]
    gaps: list[GapItem]  # worst relative shortfall first
    look_alikes: list[PeerExample]  # up to 3 cohort members with the highest health
    adoption_assessed_on: dt.date | None  # adoption comes from the last adoption refresh


class IndustryBenchmark(BaseModel):
    industry: str
    clients: int  # customers in scope, churned included
    churned: int
    churn_rate: float | None  # churned / clients
    average_health: float | None  # live clients, latest snapshot on or before as_of
    average_health_90_days_before: float | None  # the same 90 days earlier, for the trend
    average_adoption: float | None
    best_in_class: PeerExample | None
