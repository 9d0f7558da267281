"""Seed 004 health endpoints: current health with components and drivers, its history, a forced refresh, churn."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from channels.web.api_deps import AsOfDep, ClientId
from channels.web.deps import ActorDep, SessionDep
from channels.web.schemas.errors import ERRORS
from domain.churn.schemas import ChurnRiskView
from domain.churn.service import get_churn_risk
from domain.scoring.health_detail import HealthDetail, health_detail, refresh_health
from domain.scoring.history import MAX_DAYS, ScoreHistory, score_history

router = APIRouter(prefix="/api/v1/client-success/clients/{client_id}", tags=["health"], responses=ERRORS)


@router.get("/health", response_model=HealthDetail, summary="Current health details")
def get_health(client_id: ClientId, session: SessionDep, actor: ActorDep, as_of: AsOfDep) -> HealthDetail:
    """Score, status and trend; components with configured and effective weights; 30-day drivers; benchmarks."""
    return health_detail(db_session=session, actor=actor, client_id=client_id, as_of=as_of)


@router.get("/health/history", response_model=ScoreHistory, summary="Health score history")
def get_health_history(
    client_id: ClientId,
    session: SessionDep,
    actor: ActorDep,
    as_of: AsOfDep,
    days: Annotated[int, Query(ge=1, le=MAX_DAYS, description="How many days back, as_of included")] = 90,
) -> ScoreHistory:
    """Daily snapshots (oldest first) with the events of the period, for the history chart."""
    return score_history(db_session=session, actor=actor, client_id=client_id, as_of=as_of, days=days)


@router.post("/health/refresh", response_model=HealthDetail, summary="Force recalculation")
def post_health_refresh(client_id: ClientId, session: SessionDep, actor: ActorDep, as_of: AsOfDep) -> HealthDetail:
    """Recompute the as-of day's snapshot from current data (re-running replaces it, so retries are safe)."""
    return refresh_health(db_session=session, actor=actor, client_id=client_id, as_of=as_of)


@router.get("/churn-risk", response_model=ChurnRiskView, summary="Churn risk details")
def get_client_churn_risk(client_id: ClientId, session: SessionDep, actor: ActorDep, as_of: AsOfDep) -> ChurnRiskView:
    """30/60/90-day churn probabilities, risk band, contributing and protective factors, recommended actions."""
    return get_churn_risk(db_session=session, actor=actor, client_id=client_id, as_of=as_of)
