"""What the portfolio views need about each client, loaded set-based: one query whatever the size.

Scores come from HealthSnapshot (model "health"): the latest on or before the day asked. A client with no
snapshot by `as_of` falls back to its denormalised columns (scores imported or set before any snapshot);
the earlier score of a comparison has no fallback, since the columns say nothing about the past.
Churn probability is the 90-day probability of the latest ChurnPrediction on or before `as_of` (the newest
model's on that day), or None: reading a portfolio never predicts.

Speed (10,000 clients under 300 ms): only the columns the views use are read (no ORM objects, no JSON
columns), and each client's latest snapshot and prediction are found by a correlated lookup that the unique
indexes (client_id, day, model_key) and (client_id, day, model_id) answer with one seek per client, so the
cost follows the number of clients, not the length of their history (ranking every snapshot up to the day
read them all).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Row, ScalarSelect, and_, null, select
from sqlalchemy.orm import Session, aliased

from domain.access import Actor, visible_clients_clause
from domain.churn.models import ChurnPrediction
from domain.clients.models import Client
from domain.enums import ContractTier, HealthStatus, HealthTrend
from domain.errors import AccessDeniedError, NotFoundError
from domain.portfolio.rules import NOT_IN_PORTFOLIO
from domain.scoring.models import HealthSnapshot
from domain.staff.models import User

HEALTH_MODEL = "health"


@dataclass(frozen=True, slots=True)
class Score:
    value: float
    status: HealthStatus
    trend: HealthTrend | None
    snapshot_id: int


@dataclass(slots=True)  # not frozen: a frozen init costs twice as much, and 10,000 are built per summary
class ClientFacts:
    client_id: int
    name: str
    tier: ContractTier
    industry: str
    region: str | None
    arr: Decimal | None
    next_renewal_date: dt.date | None
    csm_user_id: int | None
    csm_name: str | None
    health: float | None
    status: HealthStatus | None
    trend: HealthTrend | None
    snapshot_id: int | None  # None when the score came from the client's columns
    then: Score | None  # the score on or before the comparison day
    churn_probability: float | None
    prediction_id: int | None
    churn_risk_score: int | None

    def days_to_renewal(self, as_of: dt.date) -> int | None:
        return None if self.next_renewal_date is None else (self.next_renewal_date - as_of).days


def check_csm_filter(session: Session, actor: Actor, csm_user_id: int | None) -> None:
    """Filtering to another CSM's portfolio needs a whole-tenant role; the CSM must be of the tenant."""
    if csm_user_id is None or csm_user_id == actor.user_id:
        return
    if not actor.sees_whole_tenant:
        raise AccessDeniedError("you can see your own portfolio only; a VP can filter by CSM")
    user = session.get(User, csm_user_id)
    if user is None or user.workspace_id != actor.workspace_id:
        raise NotFoundError(f"no staff user with id {csm_user_id}")


def portfolio_scope(actor: Actor, csm_user_id: int | None = None) -> ColumnElement[bool]:
    """The actor's current clients (no prospects, no churned), optionally one CSM's."""
    scope = and_(visible_clients_clause(actor), Client.lifecycle_status.not_in(NOT_IN_PORTFOLIO))
    return scope if csm_user_id is None else and_(scope, Client.csm_user_id == csm_user_id)


CLIENT_COLUMNS = (
    Client.id,
    Client.name,
    Client.contract_tier,
    Client.industry,
    Client.region,
    Client.annual_recurring_revenue,
    Client.next_renewal_date,
    Client.csm_user_id,
    Client.current_health_score,
    Client.health_status,
    Client.health_trend,
    Client.churn_risk_score,
)


def load_facts(
    session: Session, *, where: ColumnElement[bool], as_of: dt.date, then: dt.date | None = None
) -> list[ClientFacts]:
    """Facts of the clients matching `where`, ordered by name; `then` is the comparison day, if any."""
    # First each client's row with the ids of its latest snapshots and prediction, then those rows by primary key:
    # PostgreSQL and SQLite both run the id lookups as index seeks, where a join on "the latest" would tempt
    # PostgreSQL into hashing every snapshot ever taken.
    latest = (
        select(
            *CLIENT_COLUMNS,
            User.name.label("csm_name"),
            _latest_snapshot_id(as_of).label("now_id"),
            (null() if then is None else _latest_snapshot_id(then)).label("then_id"),
            _latest_prediction_id(as_of).label("prediction_id"),
        )
        .outerjoin(User, User.id == Client.csm_user_id)
        .where(where)
        .cte("latest")
        .prefix_with("MATERIALIZED")  # inlined, SQLite would run each lookup twice (in the join and the select)
    )
    now_score, then_score = aliased(HealthSnapshot, name="now_score"), aliased(HealthSnapshot, name="then_score")
    churn = aliased(ChurnPrediction, name="churn")
    query = (
        select(latest, *_score_columns(now_score), *_score_columns(then_score if then else None))
        .add_columns(churn.probability_90d)
        .outerjoin(now_score, now_score.id == latest.c.now_id)
        .outerjoin(churn, churn.id == latest.c.prediction_id)
        .order_by(latest.c.name)
    )
    if then is not None:
        query = query.outerjoin(then_score, then_score.id == latest.c.then_id)
    session.flush()  # the Core connection below skips the ORM's autoflush (and its per-row loading overhead)
    return [_facts(row) for row in session.connection().execute(query)]


def _score_columns(snapshot: Any) -> tuple[Any, ...]:
    """Score, status and trend of a joined snapshot; NULLs when there is no comparison day."""
    if snapshot is None:
        return (null(), null(), null())
    return (snapshot.overall_score, snapshot.status, snapshot.trend)


def _latest_snapshot_id(day: dt.date) -> ScalarSelect[int]:
    """The client's latest health snapshot on or before `day`."""
    earlier = aliased(HealthSnapshot)
    return (
        select(earlier.id)
        .where(earlier.client_id == Client.id, earlier.model_key == HEALTH_MODEL, earlier.day <= day)
        .order_by(earlier.day.desc())
        .limit(1)
        .correlate(Client)
        .scalar_subquery()
    )


def _latest_prediction_id(day: dt.date) -> ScalarSelect[int]:
    """The client's latest churn prediction on or before `day`, the newest model's when a day has several."""
    earlier = aliased(ChurnPrediction)
    return (
        select(earlier.id)
        .where(earlier.client_id == Client.id, earlier.day <= day)
        .order_by(earlier.day.desc(), earlier.model_id.desc())
        .limit(1)
        .correlate(Client)
        .scalar_subquery()
    )


def _facts(row: Row[Any]) -> ClientFacts:
    (client_id, name, tier, industry, region, arr, renewal, csm_user_id, column_health, column_status,
     column_trend, churn_risk_score, csm_name, now_id, then_id, prediction_id,
     now_value, now_status, now_trend, then_value, then_status, then_trend, probability) = row  # fmt: skip
    scored = now_id is not None
    if scored:
        health: float | None = round(float(now_value), 1)
    else:
        health = None if column_health is None else float(column_health)
    return ClientFacts(
        client_id=client_id,
        name=name,
        tier=tier,
        industry=industry,
        region=region,
        arr=arr,
        next_renewal_date=renewal,
        csm_user_id=csm_user_id,
        csm_name=csm_name,
        health=health,
        status=now_status if scored else column_status,
        trend=now_trend if scored else column_trend,
        snapshot_id=now_id,
        then=None if then_id is None else Score(round(float(then_value), 1), then_status, then_trend, then_id),
        churn_probability=None if probability is None else float(probability),
        prediction_id=prediction_id,
        churn_risk_score=churn_risk_score,
    )
