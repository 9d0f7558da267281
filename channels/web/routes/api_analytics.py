"""Seed 004 analytics endpoints: portfolio summary, health distribution, at-risk, renewals, churn, CSM metrics."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from channels.web.api_deps import AsOfDep, id_path
from channels.web.deps import ActorDep, SessionDep
from channels.web.pagination import Page, PageDep
from channels.web.schemas.analytics import HealthDistribution
from channels.web.schemas.errors import ERRORS
from domain.churn.schemas import ChurnRiskView
from domain.churn.service import portfolio_churn_risk
from domain.enums import HealthStatus
from domain.errors import NotFoundError
from domain.portfolio.performance import csm_performance
from domain.portfolio.rules import AT_RISK_STATUSES
from domain.portfolio.schemas import AtRiskList, CsmPerformanceReport, CsmScorecard, PortfolioOverview, RenewalList
from domain.portfolio.service import list_at_risk_clients, list_renewals, portfolio_summary

router = APIRouter(prefix="/api/v1/client-success/analytics", tags=["analytics"], responses=ERRORS)
CsmFilter = Annotated[int | None, Query(ge=1, le=2**31 - 1, description="One CSM's clients (VP and admin)")]
PeriodDays = Annotated[int, Query(ge=1, le=365, description="Compare with this many days before as_of")]


@router.get("/portfolio", response_model=PortfolioOverview, summary="Portfolio summary")
def get_portfolio(
    session: SessionDep, actor: ActorDep, as_of: AsOfDep, csm_id: CsmFilter = None, compare_days: PeriodDays = 30
) -> PortfolioOverview:
    """Totals, ARR at risk, status distribution, breakdowns by tier/industry/CSM/region, change over the period."""
    summary = portfolio_summary(
        db_session=session, actor=actor, as_of=as_of, csm_user_id=csm_id, compare_days=compare_days
    )
    # Without the source ids (the agent grounds answers on them): for a VP they are 150 KB the page never reads.
    return PortfolioOverview.model_validate(summary, from_attributes=True)


@router.get("/health-distribution", response_model=HealthDistribution, summary="Health score distribution")
def get_health_distribution(
    session: SessionDep, actor: ActorDep, as_of: AsOfDep, csm_id: CsmFilter = None
) -> HealthDistribution:
    summary = portfolio_summary(db_session=session, actor=actor, as_of=as_of, csm_user_id=csm_id)
    return HealthDistribution(
        as_of=summary.as_of,
        csm_user_id=summary.csm_user_id,
        total_clients=summary.total_clients,
        average_health=summary.average_health,
        total_arr=summary.total_arr,
        distribution=summary.distribution,
    )


@router.get("/at-risk", response_model=AtRiskList, summary="At-risk clients summary")
def get_at_risk(
    session: SessionDep,
    actor: ActorDep,
    as_of: AsOfDep,
    status: Annotated[
        list[HealthStatus] | None, Query(max_length=4, description="Default AT_RISK and CRITICAL")
    ] = None,
    min_drop: Annotated[float | None, Query(ge=0, le=100, description="Instead: health fell this much")] = None,
    days: PeriodDays = 30,
    renewal_within_days: Annotated[int | None, Query(ge=0, le=730)] = None,
    csm_id: CsmFilter = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> AtRiskList:
    """Clients needing attention, most urgent first (risk x ARR x renewal proximity)."""
    return list_at_risk_clients(
        db_session=session,
        actor=actor,
        as_of=as_of,
        statuses=status or AT_RISK_STATUSES,
        min_drop=min_drop,
        days=days,
        renewal_within_days=renewal_within_days,
        csm_user_id=csm_id,
        limit=limit,
    )


@router.get("/renewals", response_model=RenewalList, summary="Upcoming renewals")
def get_renewals(
    session: SessionDep,
    actor: ActorDep,
    as_of: AsOfDep,
    within_days: Annotated[int, Query(ge=0, le=730)] = 90,
    csm_id: CsmFilter = None,
) -> RenewalList:
    """Renewals from as_of on, soonest first, with 30/60/90-day bucket totals."""
    return list_renewals(db_session=session, actor=actor, as_of=as_of, within_days=within_days, csm_user_id=csm_id)


@router.get("/churn-risk", response_model=Page[ChurnRiskView], summary="Portfolio churn risk")
def get_portfolio_churn(session: SessionDep, actor: ActorDep, as_of: AsOfDep, paging: PageDep) -> Page[ChurnRiskView]:
    """Churn risk of the caller's current clients, riskiest first."""
    return paging.cut(portfolio_churn_risk(db_session=session, actor=actor, as_of=as_of))


@router.get("/csm-performance", response_model=CsmPerformanceReport, summary="CSM metrics")
def get_csm_performance(
    session: SessionDep, actor: ActorDep, as_of: AsOfDep, days: Annotated[int, Query(ge=1, le=365)] = 90
) -> CsmPerformanceReport:
    """Scorecards per CSM: clients, ARR, health and its change, at-risk count, activities, QBRs, overdue follow-ups."""
    return csm_performance(db_session=session, actor=actor, as_of=as_of, days=days)


@router.get("/csm/{csm_id}/metrics", response_model=CsmScorecard, summary="Individual CSM metrics")
def get_csm_metrics(
    csm_id: Annotated[int, id_path("CSM user")],
    session: SessionDep,
    actor: ActorDep,
    as_of: AsOfDep,
    days: Annotated[int, Query(ge=1, le=365)] = 90,
) -> CsmScorecard:
    report = csm_performance(db_session=session, actor=actor, as_of=as_of, days=days)
    for card in report.csms:
        if card.csm_user_id == csm_id:
            return card
    raise NotFoundError(f"no CSM with id {csm_id} among the portfolios you can see")
