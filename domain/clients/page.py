"""One page of the client list (seed 004's GET clients): filtered, sorted and counted in the database.

Set-based so a 10,000-client tenant costs three queries per page: the count, the page itself, and the
latest churn factors of the page's clients. Sorting always ends on the id, so pages never overlap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import Session, aliased

from domain.access import Actor, get_visible_client, visible_clients_clause
from domain.churn.models import ChurnPrediction
from domain.clients.models import Client
from domain.clients.schemas import ClientSummary
from domain.clients.service import client_summary
from domain.enums import ContractTier, HealthStatus, HealthTrend, LifecycleStatus
from domain.errors import ValidationError
from domain.portfolio.facts import check_csm_filter
from domain.staff.models import User

SortKey = Literal[
    "name", "health_score", "annual_recurring_revenue", "next_renewal_date", "churn_risk_score", "last_csm_contact_at"
]
MAX_LIMIT = 200
RISK_FACTORS_SHOWN = 3


class RiskFactor(BaseModel):
    """Seed 004's ai_risk_factors entry, taken from the client's latest stored churn prediction."""

    factor: str
    impact: str
    detail: str


class ClientRow(ClientSummary):
    csm_user_id: int | None
    risk_factors: list[RiskFactor]


class ClientPage(BaseModel):
    rows: list[ClientRow]
    total: int
    page: int
    limit: int


@dataclass(frozen=True, slots=True)
class ClientFilters:
    health_status: HealthStatus | None = None
    health_trend: HealthTrend | None = None
    tier: ContractTier | None = None
    lifecycle_status: LifecycleStatus | None = None
    csm_user_id: int | None = None
    industry: str | None = None
    segment: str | None = None
    search: str | None = None
    renewal_within_days: int | None = None


def list_clients_page(
    *,
    db_session: Session,
    actor: Actor,
    as_of: dt.date,
    filters: ClientFilters = ClientFilters(),  # frozen, so one shared default is safe
    sort: SortKey = "health_score",
    descending: bool = False,
    page: int = 1,
    limit: int = 25,
) -> ClientPage:
    """One page of the clients the actor may see, matching `filters`, in `sort` order (unscored last)."""
    if page < 1 or not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(f"page starts at 1 and limit is 1 to {MAX_LIMIT}")
    check_csm_filter(db_session, actor, filters.csm_user_id)
    where = and_(visible_clients_clause(actor), *_conditions(filters, as_of))
    total = db_session.scalar(select(func.count(Client.id)).where(where)) or 0
    csm = aliased(User)
    query: Select[Any] = (
        select(Client, csm.email, csm.name)
        .outerjoin(csm, csm.id == Client.csm_user_id)
        .where(where)
        .order_by(*_order(sort, descending))
        .offset((page - 1) * limit)
        .limit(limit)
    )
    found = db_session.execute(query).all()
    factors = _risk_factors(db_session, [client.id for client, _email, _name in found])
    rows = [_row(client, email, name, as_of, factors.get(client.id, [])) for client, email, name in found]
    return ClientPage(rows=rows, total=total, page=page, limit=limit)


def get_client_row(*, db_session: Session, actor: Actor, client_id: int, as_of: dt.date) -> ClientRow:
    """One client as a list row (after a change, for instance)."""
    client = get_visible_client(db_session, actor, client_id)
    csm = db_session.get(User, client.csm_user_id) if client.csm_user_id else None
    factors = _risk_factors(db_session, [client.id]).get(client.id, [])
    return _row(client, csm.email if csm else None, csm.name if csm else None, as_of, factors)


def _conditions(filters: ClientFilters, as_of: dt.date) -> list[ColumnElement[bool]]:
    equal: dict[Any, Any] = {
        Client.health_status: filters.health_status,
        Client.health_trend: filters.health_trend,
        Client.contract_tier: filters.tier,
        Client.lifecycle_status: filters.lifecycle_status,
        Client.csm_user_id: filters.csm_user_id,
        Client.industry: filters.industry,
        Client.segment: filters.segment,
    }
    conditions = [column == value for column, value in equal.items() if value is not None]
    if filters.search:
        conditions.append(func.lower(Client.name).contains(filters.search.strip().lower(), autoescape=True))
    if filters.renewal_within_days is not None:
        last_day = as_of + dt.timedelta(days=filters.renewal_within_days)
        conditions.append(Client.next_renewal_date.between(as_of, last_day))
    return conditions


def _order(sort: SortKey, descending: bool) -> list[Any]:
    column = {
        "name": func.lower(Client.name),
        "health_score": Client.current_health_score,
        "annual_recurring_revenue": Client.annual_recurring_revenue,
        "next_renewal_date": Client.next_renewal_date,
        "churn_risk_score": Client.churn_risk_score,
        "last_csm_contact_at": Client.last_csm_contact_at,
    }[sort]
    ordered = column.desc() if descending else column.asc()
    return [ordered.nulls_last(), Client.id]


def _risk_factors(db_session: Session, client_ids: Sequence[int]) -> dict[int, list[RiskFactor]]:
    """The risk-raising factors of each client's newest prediction (one query for the whole page)."""
    if not client_ids:
        return {}
    rank = func.row_number().over(
        partition_by=ChurnPrediction.client_id, order_by=(ChurnPrediction.day.desc(), ChurnPrediction.id.desc())
    )
    ranked = (
        select(ChurnPrediction.client_id, ChurnPrediction.factors, rank.label("rank"))
        .where(ChurnPrediction.client_id.in_(client_ids))
        .subquery()
    )
    found: dict[int, list[RiskFactor]] = {}
    for client_id, factors, _rank in db_session.execute(select(ranked).where(ranked.c.rank == 1)):
        raising = [entry for entry in factors if float(entry.get("share", 0.0)) > 0 and not entry.get("missing")]
        raising.sort(key=lambda entry: -float(entry.get("share", 0.0)))
        found[client_id] = [
            RiskFactor(factor=str(entry["factor"]), impact=str(entry.get("impact", "low")), detail=str(entry["detail"]))
            for entry in raising[:RISK_FACTORS_SHOWN]
        ]
    return found


def _row(
    client: Client, csm_email: str | None, csm_name: str | None, as_of: dt.date, factors: list[RiskFactor]
) -> ClientRow:
    summary = client_summary(client, csm_email, csm_name, as_of)
    return ClientRow(**summary.model_dump(), csm_user_id=client.csm_user_id, risk_factors=factors)
