"""Seed 004 usage, adoption and benchmark endpoints of one client, and industry benchmarks."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from channels.web.api_deps import AsOfDep, ClientId
from channels.web.deps import ActorDep, SessionDep
from channels.web.schemas.errors import ERRORS
from domain.adoption.schemas import AdoptionMatrix, FeatureAdoptionView
from domain.adoption.service import adoption_matrix
from domain.benchmarks.rules import CohortKind
from domain.benchmarks.schemas import BenchmarkReport, IndustryBenchmark
from domain.benchmarks.service import benchmark_client, industry_benchmarks
from domain.errors import NotFoundError
from domain.usage.analytics import usage_summary, user_engagement
from domain.usage.analytics_schemas import LoginHeatmap, UsageSummary, UserEngagementReport

router = APIRouter(prefix="/api/v1/client-success", tags=["usage and adoption"], responses=ERRORS)
Days = Annotated[int, Query(ge=1, le=365, description="Length of the period, ending on as_of")]


@router.get("/clients/{client_id}/usage", response_model=UsageSummary, summary="Usage metrics")
def get_usage(
    client_id: ClientId, session: SessionDep, actor: ActorDep, as_of: AsOfDep, days: Days = 30
) -> UsageSummary:
    """DAU/WAU/MAU against the client's own average, stickiness, sessions, breadth, power users, heatmap."""
    return usage_summary(db_session=session, actor=actor, client_id=client_id, as_of=as_of, days=days)


@router.get("/clients/{client_id}/usage/users", response_model=UserEngagementReport, summary="Per-user breakdown")
def get_usage_users(
    client_id: ClientId, session: SessionDep, actor: ActorDep, as_of: AsOfDep, days: Days = 30
) -> UserEngagementReport:
    return user_engagement(db_session=session, actor=actor, client_id=client_id, as_of=as_of, days=days)


@router.get("/clients/{client_id}/usage/heatmap", response_model=LoginHeatmap, summary="Activity heatmap data")
def get_usage_heatmap(
    client_id: ClientId, session: SessionDep, actor: ActorDep, as_of: AsOfDep, days: Days = 30
) -> LoginHeatmap:
    """Logins by weekday and UTC hour over the period."""
    return usage_summary(db_session=session, actor=actor, client_id=client_id, as_of=as_of, days=days).heatmap


@router.get("/clients/{client_id}/adoption", response_model=AdoptionMatrix, summary="Feature adoption matrix")
def get_adoption(client_id: ClientId, session: SessionDep, actor: ActorDep, as_of: AsOfDep) -> AdoptionMatrix:
    return adoption_matrix(db_session=session, actor=actor, client_id=client_id, as_of=as_of)


@router.get(
    "/clients/{client_id}/adoption/{feature}", response_model=FeatureAdoptionView, summary="Single feature details"
)
def get_feature_adoption(
    client_id: ClientId,
    feature: Annotated[str, Path(min_length=1, max_length=100, description="The feature key")],
    session: SessionDep,
    actor: ActorDep,
    as_of: AsOfDep,
) -> FeatureAdoptionView:
    matrix = adoption_matrix(db_session=session, actor=actor, client_id=client_id, as_of=as_of)
    for module in matrix.modules:
        for item in module.features:
            if item.feature_key == feature:
                return item
    raise NotFoundError(f"no feature {feature!r} in the catalogue")


@router.get("/clients/{client_id}/benchmark", response_model=BenchmarkReport, summary="Compare to cohort")
def get_benchmark(
    client_id: ClientId, session: SessionDep, actor: ActorDep, as_of: AsOfDep, cohort: CohortKind = CohortKind.TIER
) -> BenchmarkReport:
    """Percentiles within the cohort (tier, industry, size or tenure), gaps, and look-alike success stories."""
    return benchmark_client(db_session=session, actor=actor, client_id=client_id, as_of=as_of, cohort=cohort)


@router.get("/benchmarks/industry/{industry}", response_model=IndustryBenchmark, summary="Industry benchmarks")
def get_industry_benchmark(
    industry: Annotated[str, Path(min_length=1, max_length=100)], session: SessionDep, actor: ActorDep, as_of: AsOfDep
) -> IndustryBenchmark:
    """Average health, adoption and churn rate of one industry across the caller's portfolio."""
    for row in industry_benchmarks(db_session=session, actor=actor, as_of=as_of):
        if row.industry.lower() == industry.strip().lower():
            return row
    raise NotFoundError(f"no clients in the industry {industry!r} in your portfolio")
