"""Pydantic views of feature adoption: what adoption services return, never ORM rows."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel

from domain.enums import AdoptionStatus, ContractTier, UsageTrend


class FeatureAdoptionView(BaseModel):
    """One row of the adoption matrix."""

    feature_key: str
    feature_name: str
    module: str
    status: AdoptionStatus
    is_licensed: bool
    is_configured: bool
    usage_30_days: int
    usage_previous_30_days: int
    usage_trend: UsageTrend
    expected_usage: float  # uses per 30 days after any seasonal factor; 0 = any usage counts
    expected_usage_metric: str  # the catalogue's wording, e.g. "10+ cases/month"
    usage_ratio: float | None  # usage_30_days / expected_usage; None when any usage counts
    last_used_at: dt.datetime | None
    adoption_percentile: int | None  # vs. licensed clients of the same tier, as of the last refresh


class ModuleAdoption(BaseModel):
    module: str
    is_licensed: bool
    features: list[FeatureAdoptionView]


class ExpansionOpportunity(BaseModel):
    module: str
    reason: Literal["unused_licence", "explored", "common_in_tier"]
    detail: str


class AdoptionMatrix(BaseModel):
    """The Adoption tab: features by module, the adoption score and where to grow."""

    client_id: int
    client_name: str
    as_of: dt.date
    modules: list[ModuleAdoption]
    adoption_score: float | None  # used licensed features / licensed features x 100 (Light Use counts)
    features_licensed: int
    features_used: int  # Light Use and up
    features_actively_used: int  # Active Use and up, what the health score's adoption component counts
    summary: str  # "Licensed features used: 5 of 8"
    unused_licensed_features: list[str]  # licensed but not configured or not used in 30 days
    opportunities: list[ExpansionOpportunity]
    seasonal_factor: float  # share of normal usage expected this month (1.0 outside slow months)


class AdoptionRefreshReport(BaseModel):
    workspace_id: int
    as_of: dt.date
    clients: int
    features: int
    created: int
    updated: int


class ExpansionSignal(BaseModel):
    """A client showing signs it is ready to buy more, with the reasons in words."""

    client_id: int
    client_name: str
    tier: ContractTier
    strength: int  # how many of the signals it shows
    reasons: list[str]
    seat_utilisation: float | None  # MAU / licensed users
    power_feature_share: float | None  # licensed features at Power Use / licensed features, last refresh
    latest_nps: int | None
