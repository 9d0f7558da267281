"""Pydantic views of usage analytics (the Usage tab): what the analytics services return."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from domain.enums import ContactRole, ContractTier, EngagementStatus


class MetricTrend(BaseModel):
    """A metric on the measured day against the client's own average over the period before."""

    value: float | None
    baseline: float | None  # mean over the `days` days before the period
    change: float | None  # (value - baseline) / baseline; -0.4 reads "down 40% vs avg"


class FeatureBreadth(BaseModel):
    modules_licensed: list[str]
    modules_used: list[str]  # licensed modules with any feature use in the period
    breadth: float | None  # modules used / modules licensed
    unlicensed_modules_used: list[str]  # tried without a licence: an expansion lead


class PowerUser(BaseModel):
    user_ref: str
    name: str | None  # the matching contact's name, when a contact has this platform user id
    role: ContactRole | None
    events: int


class LoginHeatmap(BaseModel):
    """Logins by weekday ("mon".."sun") and UTC hour (0..23), summed over the period."""

    grid: dict[str, list[int]]
    by_hour: list[int]
    by_weekday: dict[str, int]
    total_logins: int
    peak_weekday: str | None
    peak_hour: int | None


class CohortUsage(BaseModel):
    """Averages over the live clients of the same tier (the client included), aggregates only."""

    tier: ContractTier
    clients: int
    average_dau: float | None
    average_mau: float | None
    average_stickiness: float | None


class UsageSummary(BaseModel):
    client_id: int
    client_name: str
    as_of: dt.date
    period_start: dt.date
    days: int
    measured_on: dt.date | None  # the latest day with a rollup in the period (as_of once rollups are current)
    dau: MetricTrend
    wau: MetricTrend
    mau: MetricTrend
    average_dau: float | None  # over the period
    average_mau: float | None
    stickiness: float | None  # average DAU / average MAU over the period
    total_sessions: int
    total_actions: int
    avg_session_duration_seconds: float | None
    avg_session_depth: float | None  # actions per session
    feature_breadth: FeatureBreadth
    active_users: int  # distinct users with any event in the period
    power_users: list[PowerUser]
    heatmap: LoginHeatmap
    tier_cohort: CohortUsage
    seasonal_factor: float  # share of normal usage expected this month for the client's segment
    seasonal_note: str | None


class UserEngagement(BaseModel):
    """One platform user at a client: when they were last active and whether they are drifting away."""

    user_ref: str
    contact_id: int | None
    name: str | None
    role: ContactRole | None
    title: str | None
    is_key_stakeholder: bool  # an active contact who is champion, executive sponsor or admin
    last_active_at: dt.datetime | None
    days_inactive: int | None  # whole days since last activity; None = never active
    sessions: int  # in the period
    previous_sessions: int  # in the period before
    events: int  # in the period
    status: EngagementStatus
    headline: str  # e.g. "Sarah Chen (CHAMPION) inactive 21 days"


class UserEngagementReport(BaseModel):
    client_id: int
    client_name: str
    as_of: dt.date
    days: int
    users: list[UserEngagement]  # most engaged first
    active: int
    declining: int
    inactive: int
    key_stakeholders_at_risk: list[str]  # headlines of key stakeholders who are declining or inactive
