"""What the portfolio views need about each client, loaded set-based: four queries whatever the size.

Scores come from HealthSnapshot (model "health"): the latest on or before the day asked. A client with no
snapshot by `as_of` falls back to its denormalised columns (scores imported or set before any snapshot);
the earlier score of a comparison has no fallback, since the columns say nothing about the past.
Churn probability is the 90-day probability of the latest ChurnPrediction on or before `as_of` (the newest
model's on that day), or None: reading a portfolio never predicts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

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


@dataclass(frozen=True, slots=True)
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


def load_facts(
    session: Session, *, where: ColumnElement[bool], as_of: dt.date, then: dt.date | None = None
) -> list[ClientFacts]:
    """Facts of the clients matching `where`, ordered by name; `then` is the comparison day, if any."""
    now_scores = scores_on(session, where, as_of)
    then_scores = {} if then is None else scores_on(session, where, then)
    churn = _churn_on(session, where, as_of)
    rows = session.execute(
        select(Client, User.name).outerjoin(User, User.id == Client.csm_user_id).where(where).order_by(Client.name)
    )
    facts = []
    for client, csm_name in rows:
        score = now_scores.get(client.id)
        probability, prediction_id = churn.get(client.id, (None, None))
        facts.append(
            ClientFacts(
                client_id=client.id,
                name=client.name,
                tier=client.contract_tier,
                industry=client.industry,
                region=client.region,
                arr=client.annual_recurring_revenue,
                next_renewal_date=client.next_renewal_date,
                csm_user_id=client.csm_user_id,
                csm_name=csm_name,
                health=_health(score, client),
                status=score.status if score else client.health_status,
                trend=score.trend if score else client.health_trend,
                snapshot_id=score.snapshot_id if score else None,
                then=then_scores.get(client.id),
                churn_probability=probability,
                prediction_id=prediction_id,
                churn_risk_score=client.churn_risk_score,
            )
        )
    return facts


def _health(score: Score | None, client: Client) -> float | None:
    if score is not None:
        return score.value
    return None if client.current_health_score is None else float(client.current_health_score)


def scores_on(session: Session, where: ColumnElement[bool], day: dt.date) -> dict[int, Score]:
    """Each matching client's latest health snapshot on or before `day`."""
    rank = func.row_number().over(partition_by=HealthSnapshot.client_id, order_by=HealthSnapshot.day.desc())
    ranked = (
        select(HealthSnapshot.id, HealthSnapshot.client_id, HealthSnapshot.overall_score, HealthSnapshot.status,
               HealthSnapshot.trend, rank.label("rank"))
        .join(Client, Client.id == HealthSnapshot.client_id)
        .where(where, HealthSnapshot.model_key == HEALTH_MODEL, HealthSnapshot.day <= day)
        .subquery()
    )  # fmt: skip
    rows = session.execute(select(ranked).where(ranked.c.rank == 1))
    return {
        row.client_id: Score(round(float(row.overall_score), 1), HealthStatus(row.status), _trend(row.trend), row.id)
        for row in rows
    }


def _trend(value: HealthTrend | str | None) -> HealthTrend | None:
    return None if value is None else HealthTrend(value)


def _churn_on(session: Session, where: ColumnElement[bool], day: dt.date) -> dict[int, tuple[float, int]]:
    order = (ChurnPrediction.day.desc(), ChurnPrediction.model_id.desc())
    rank = func.row_number().over(partition_by=ChurnPrediction.client_id, order_by=order)
    ranked = (
        select(ChurnPrediction.id, ChurnPrediction.client_id, ChurnPrediction.probability_90d, rank.label("rank"))
        .join(Client, Client.id == ChurnPrediction.client_id)
        .where(where, ChurnPrediction.day <= day)
        .subquery()
    )
    rows = session.execute(select(ranked).where(ranked.c.rank == 1))
    return {row.client_id: (float(row.probability_90d), row.id) for row in rows}
