"""Response shapes of the analytics endpoints that the portfolio services do not return as such."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel

from domain.portfolio.schemas import StatusCount


class HealthDistribution(BaseModel):
    """Seed 004's health distribution chart: clients and ARR per status, unscored last."""

    as_of: dt.date
    csm_user_id: int | None
    total_clients: int
    average_health: float | None
    total_arr: Decimal
    distribution: list[StatusCount]
