"""Pydantic views of clients: what services return, never ORM rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from domain.enums import ContractTier, HealthStatus, HealthTrend, LifecycleStatus


class ClientSummary(BaseModel):
    """One row of a portfolio list (the `clients list --json` contract)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    health_score: int | None
    health_status: HealthStatus | None
    health_trend: HealthTrend | None
    churn_risk_score: int | None
    csm_email: str | None
    csm_name: str | None
    contract_tier: ContractTier
    industry: str
    lifecycle_status: LifecycleStatus
    annual_recurring_revenue: Decimal | None
    next_renewal_date: dt.date | None
    days_to_renewal: int | None
    last_csm_contact_at: dt.datetime | None
    segment: str | None
    tags: list[str]
