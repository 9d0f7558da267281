"""Pydantic views of the portfolio (seed 004 F1, US-015-001/003/042): summaries, at-risk lists, renewals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel

from domain.enums import ActivityType, ContractTier, HealthStatus, HealthTrend
from domain.portfolio.rules import RenewalBucket


class StatusCount(BaseModel):
    status: HealthStatus | None  # None: clients without a health score
    clients: int
    arr: Decimal


class Breakdown(BaseModel):
    """One slice of the portfolio (a tier, an industry, a CSM, a region)."""

    key: str  # the tier, industry or region, or the CSM's user id; "none" when unset
    label: str
    clients: int
    arr: Decimal
    average_health: float | None
    at_risk: int
    arr_at_risk: Decimal


class PortfolioOverview(BaseModel):
    """Seed 004 summary cards and breakdowns for the actor's current clients (or one CSM's)."""

    as_of: dt.date
    csm_user_id: int | None  # the CSM filter, if any
    total_clients: int
    scored_clients: int
    at_risk_count: int  # AT_RISK + CRITICAL
    average_health: float | None
    total_arr: Decimal
    arr_at_risk: Decimal
    arr_at_risk_share: float  # percent of total ARR
    distribution: list[StatusCount]  # HEALTHY, MONITOR, AT_RISK, CRITICAL, then unscored
    by_tier: list[Breakdown]
    by_industry: list[Breakdown]
    by_csm: list[Breakdown]
    by_region: list[Breakdown]
    previous_day: dt.date  # the comparison day, `compare_days` before as_of
    previous_average_health: float | None  # today's clients that had a snapshot then
    average_health_change: float | None
    previous_at_risk_count: int  # today's clients that were AT_RISK or CRITICAL then
    at_risk_change: int


class PortfolioSummary(PortfolioOverview):
    """The overview plus where its numbers came from, for grounding an answer (the dashboard needs only the
    overview: for a VP these are 10,000 client ids and twice as many snapshot ids)."""

    client_ids: list[int]
    snapshot_ids: list[int]  # the snapshots the current and previous numbers came from


class AtRiskClient(BaseModel):
    client_id: int
    name: str
    health_score: float | None
    health_score_then: float | None  # `days` before as_of, from HealthSnapshot
    drop: float | None  # then - now: positive when health fell
    health_status: HealthStatus | None
    health_trend: HealthTrend | None
    annual_recurring_revenue: Decimal | None
    next_renewal_date: dt.date | None
    days_to_renewal: int | None
    churn_probability: float | None  # 90-day, latest prediction on or before as_of
    csm_user_id: int | None
    csm_name: str | None
    risk: float  # 0-1, see domain/portfolio/rules.py
    urgency: float  # risk x ARR in thousands x renewal proximity
    snapshot_id: int | None
    snapshot_then_id: int | None
    prediction_id: int | None


class AtRiskList(BaseModel):
    """Clients needing attention, most urgent first."""

    as_of: dt.date
    days: int
    statuses: list[HealthStatus]  # ignored when min_drop is given
    min_drop: float | None
    renewal_within_days: int | None
    csm_user_id: int | None
    total_matching: int  # before the limit
    clients: list[AtRiskClient]
    client_ids: list[int]


class RenewalItem(BaseModel):
    client_id: int
    name: str
    next_renewal_date: dt.date
    days_to_renewal: int
    bucket: RenewalBucket
    health_score: float | None
    health_status: HealthStatus | None
    health_trend: HealthTrend | None
    annual_recurring_revenue: Decimal | None
    churn_probability: float | None  # 90-day, latest prediction on or before as_of
    churn_risk_score: int | None  # the client's stored score (latest prediction x 100)
    contract_tier: ContractTier
    csm_user_id: int | None
    csm_name: str | None
    prediction_id: int | None


class RenewalBucketTotal(BaseModel):
    bucket: RenewalBucket
    clients: int
    arr: Decimal
    at_risk: int


class RenewalList(BaseModel):
    """Renewals from as_of to within_days after it, soonest first."""

    as_of: dt.date
    within_days: int
    renewals: list[RenewalItem]
    buckets: list[RenewalBucketTotal]  # every bucket up to within_days, empty ones included
    total_arr: Decimal
    arr_at_risk: Decimal  # ARR of renewing clients that are AT_RISK or CRITICAL
    client_ids: list[int]


class CsmScorecard(BaseModel):
    csm_user_id: int | None  # None: the clients nobody is assigned to
    csm_name: str
    clients: int
    arr: Decimal
    average_health: float | None
    average_health_then: float | None
    average_health_change: float | None
    at_risk_count: int
    activities: int
    activities_by_type: dict[ActivityType, int]
    qbrs: int
    follow_ups_overdue: int
    last_activity_at: dt.datetime | None


class CsmPerformanceReport(BaseModel):
    """US-015-042 scorecards over the `days` days up to and including as_of."""

    as_of: dt.date
    days: int
    period_start: dt.date
    csms: list[CsmScorecard]  # by name, unassigned last
    client_ids: list[int]
