"""Cohort membership as SQL (seed 004 F7): same tier, industry, size band or tenure band as a client.

The SQL conditions mirror rules.size_band and rules.tenure_band exactly, so a client always falls in
its own cohort and the bands are filtered in the database rather than in a loop.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, and_, true

from domain.benchmarks.rules import SIZE_BANDS, TENURE_BANDS, CohortKind, months_ago, size_band, tenure_band
from domain.clients.models import Client


def cohort_label(kind: CohortKind, client: Client, as_of: dt.date) -> str:
    """Words for the cohort, e.g. "tier ENTERPRISE" or "size 1,000-4,999 employees"."""
    if kind is CohortKind.TIER:
        return f"tier {client.contract_tier.value}"
    if kind is CohortKind.INDUSTRY:
        return f"industry {client.industry}"
    if kind is CohortKind.SIZE:
        return f"size {size_band(client.employee_count)}"
    return f"tenure {tenure_band(client.contract_start_date, as_of)}"


def cohort_clause(kind: CohortKind, client: Client, as_of: dt.date) -> ColumnElement[bool]:
    """The condition selecting the clients that share `client`'s cohort of this kind."""
    if kind is CohortKind.TIER:
        return Client.contract_tier == client.contract_tier
    if kind is CohortKind.INDUSTRY:
        return Client.industry == client.industry
    if kind is CohortKind.SIZE:
        return _size_clause(client.employee_count)
    return _tenure_clause(client.contract_start_date, as_of)


def _size_clause(employee_count: int | None) -> ColumnElement[bool]:
    if employee_count is None:
        return Client.employee_count.is_(None)
    label = size_band(employee_count)
    lows = [lowest for _, lowest in SIZE_BANDS]
    index = [name for name, _ in SIZE_BANDS].index(label)
    condition = Client.employee_count >= lows[index]
    if index + 1 < len(lows):
        condition = and_(condition, Client.employee_count < lows[index + 1])
    return condition


def _tenure_clause(contract_start: dt.date, as_of: dt.date) -> ColumnElement[bool]:
    label = tenure_band(contract_start, as_of)
    lows = [lowest for _, lowest in TENURE_BANDS]
    index = [name for name, _ in TENURE_BANDS].index(label)
    # Band i: started on or before as_of - low(i) months (band 0 has no such bound) and after as_of - low(i+1).
    condition: ColumnElement[bool] = Client.contract_start_date <= months_ago(as_of, lows[index]) if index else true()
    if index + 1 < len(lows):
        condition = and_(condition, Client.contract_start_date > months_ago(as_of, lows[index + 1]))
    return condition
