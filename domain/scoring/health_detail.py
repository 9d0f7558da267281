"""Seed 004's "client health details": the score, its weighted components, what moved it, and how it compares."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.benchmarks.rules import CohortKind
from domain.benchmarks.service import benchmark_client
from domain.enums import HealthStatus, HealthTrend
from domain.errors import NotFoundError
from domain.scoring.drivers import explain_drivers, get_score
from domain.scoring.refresh import refresh_score
from domain.scoring.schemas import ComponentScore, Driver, PeriodEvent

TREND_DAYS = 30
# Seed 004's example labels component scores: 45 and 55 "poor", 72 and 75 "fair", 80 "good".
GOOD_FROM, FAIR_FROM = 80.0, 60.0


class HealthComponent(ComponentScore):
    status: str  # good | fair | poor | no_data


class CohortPosition(BaseModel):
    tier_average: float | None
    tier_percentile: float | None
    industry_average: float | None
    industry_percentile: float | None


class HealthDetail(BaseModel):
    client_id: int
    client_name: str
    day: dt.date
    overall_score: float
    health_status: HealthStatus
    health_trend: HealthTrend | None
    trend_change: float | None  # points since `trend_period_days` before; None without an earlier snapshot
    trend_period_days: int
    components: list[HealthComponent]
    drivers: list[Driver]  # contributions to trend_change, largest first; they sum to it
    events: list[PeriodEvent]
    recommended_actions: list[str]
    most_impactful_input: str | None
    benchmarks: CohortPosition
    config_id: int
    snapshot_ids: list[int]


def component_status(score: float | None) -> str:
    if score is None:
        return "no_data"
    return "good" if score >= GOOD_FROM else "fair" if score >= FAIR_FROM else "poor"


def health_detail(*, db_session: Session, actor: Actor, client_id: int, as_of: dt.date) -> HealthDetail:
    """The client's current health with components and weights, 30-day drivers, actions and cohort position."""
    score = get_score(db_session=db_session, actor=actor, client_id=client_id, as_of=as_of)
    try:
        report = explain_drivers(db_session=db_session, actor=actor, client_id=client_id, to_day=as_of)
    except NotFoundError:  # a client scored for less than the trend period has no change to explain yet
        report = None
    return HealthDetail(
        client_id=score.client_id,
        client_name=score.client_name,
        day=score.day,
        overall_score=score.overall,
        health_status=score.status,
        health_trend=score.trend,
        trend_change=None if report is None else round(report.change, 2),
        trend_period_days=TREND_DAYS,
        components=[
            HealthComponent(**item.model_dump(), status=component_status(item.score)) for item in score.components
        ],
        drivers=[] if report is None else report.drivers,
        events=[] if report is None else report.events,
        recommended_actions=[] if report is None else report.recommended_actions,
        most_impactful_input=None if report is None else report.most_impactful_input,
        benchmarks=_position(db_session, actor, client_id, as_of),
        config_id=score.config_id,
        snapshot_ids=[score.snapshot_id] if report is None else report.snapshot_ids,
    )


def _position(db_session: Session, actor: Actor, client_id: int, as_of: dt.date) -> CohortPosition:
    found: dict[str, tuple[float | None, float | None]] = {}
    for kind in (CohortKind.TIER, CohortKind.INDUSTRY):
        report = benchmark_client(db_session=db_session, actor=actor, client_id=client_id, as_of=as_of, cohort=kind)
        health = next(item for item in report.metrics if item.metric == "health")
        found[kind.value] = (health.cohort_average, health.percentile)
    return CohortPosition(
        tier_average=found[CohortKind.TIER.value][0],
        tier_percentile=found[CohortKind.TIER.value][1],
        industry_average=found[CohortKind.INDUSTRY.value][0],
        industry_percentile=found[CohortKind.INDUSTRY.value][1],
    )


def refresh_health(*, db_session: Session, actor: Actor, client_id: int, as_of: dt.date) -> HealthDetail:
    """Recompute the client's health snapshot for `as_of` now (seed 004 "force recalculation"), then show it."""
    refresh_score(db_session=db_session, actor=actor, client_id=client_id, as_of=as_of)
    return health_detail(db_session=db_session, actor=actor, client_id=client_id, as_of=as_of)
