"""Tools about scores: why a score moved, churn risk, cohort benchmarks, and what-if weights."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from domain.benchmarks.rules import CohortKind
from domain.benchmarks.schemas import BenchmarkReport
from domain.benchmarks.service import benchmark_client as benchmark_service
from domain.churn.schemas import ChurnRiskView
from domain.churn.service import get_churn_risk, portfolio_churn_risk
from domain.errors import ValidationError
from domain.scoring.drivers import explain_drivers, get_score
from domain.scoring.schemas import DriversReport, ScoreView
from domain.scoring.simulate import SimulationReport
from domain.scoring.simulate import simulate_weights as simulate_service
from tools.base import ToolContext, ToolResult, cs_tool, resolve_client


class ClientArgs(BaseModel):
    client: str = Field(description="The client's name (or id) exactly as the user referred to it.")


class DriversArgs(ClientArgs):
    days: int = Field(30, ge=1, le=365, description="Compare with the score this many days ago (default 30).")


class DriversResult(ToolResult):
    score: ScoreView
    drivers: DriversReport
    churn: ChurnRiskView | None


@cs_tool("explain_score_drivers", args=DriversArgs)
def explain_score_drivers(args: DriversArgs, context: ToolContext) -> DriversResult:
    """Explain a client's health score: components with weights and raw inputs, how much each component
    moved the score over the last `days` days (contributions sum to the change), the period's events, churn
    risk factors and recommended playbook actions. Use for "why is X dropping", "what's driving X's health"."""
    client = resolve_client(context, args.client)
    score = get_score(db_session=context.db_session, actor=context.actor, client_id=client.id, as_of=context.as_of)
    drivers = explain_drivers(
        db_session=context.db_session,
        actor=context.actor,
        client_id=client.id,
        to_day=score.day,
        from_day=score.day - dt.timedelta(days=args.days),
    )
    churn = _optional_churn(context, client.id)
    return DriversResult(
        as_of=context.as_of,
        source_ids={"client": [client.id], "health_snapshot": drivers.snapshot_ids},
        score=score,
        drivers=drivers,
        churn=churn,
    )


def _optional_churn(context: ToolContext, client_id: int) -> ChurnRiskView | None:
    try:
        return get_churn_risk(
            db_session=context.db_session, actor=context.actor, client_id=client_id, as_of=context.as_of
        )
    except ValidationError:  # churned clients and prospects have no churn prediction
        return None


class ChurnArgs(BaseModel):
    client: str | None = Field(None, description="A client name for one client; omit for the whole portfolio.")
    limit: int = Field(10, ge=1, le=100, description="How many clients at most when listing the portfolio.")


class ChurnResult(ToolResult):
    clients: list[ChurnRiskView]


@cs_tool("churn_risk", args=ChurnArgs)
def churn_risk(args: ChurnArgs, context: ToolContext) -> ChurnResult:
    """Churn probability over 30/60/90 days with its contributing factors (share of risk, plain-words detail),
    confidence and model version; for one client, or the riskiest clients of the portfolio."""
    if args.client:
        client = resolve_client(context, args.client)
        views = [
            get_churn_risk(db_session=context.db_session, actor=context.actor, client_id=client.id, as_of=context.as_of)
        ]
    else:
        views = portfolio_churn_risk(db_session=context.db_session, actor=context.actor, as_of=context.as_of)[
            : args.limit
        ]
    ids = [view.prediction_id for view in views]
    return ChurnResult(as_of=context.as_of, source_ids={"churn_prediction": ids}, clients=views)


class BenchmarkArgs(ClientArgs):
    cohort: Literal["tier", "industry", "size", "tenure"] = Field(
        "tier", description="Compare with clients of the same tier, industry, size band or tenure band."
    )


class BenchmarkResult(ToolResult):
    benchmark: BenchmarkReport


@cs_tool("benchmark_client", args=BenchmarkArgs)
def benchmark_client(args: BenchmarkArgs, context: ToolContext) -> BenchmarkResult:
    """Compare a client with its cohort: percentiles on health, usage, adoption and support, the cohort
    averages, where the client underperforms (gap analysis) and look-alike success stories."""
    client = resolve_client(context, args.client)
    report = benchmark_service(
        db_session=context.db_session,
        actor=context.actor,
        client_id=client.id,
        as_of=context.as_of,
        cohort=CohortKind(args.cohort),
    )
    return BenchmarkResult(as_of=context.as_of, source_ids={"client": [client.id]}, benchmark=report)


class SimulateArgs(BaseModel):
    weights: dict[str, float] = Field(
        description="Proposed weights by component (usage, adoption, support, relationship, contract, outcome); "
        "components left out keep their current weight; all must sum to 100."
    )


class SimulateResult(ToolResult):
    simulation: SimulationReport


@cs_tool("simulate_weights", args=SimulateArgs)
def simulate_weights(args: SimulateArgs, context: ToolContext) -> SimulateResult:
    """What-if: re-score the portfolio with proposed health weights without saving anything, and list the
    clients whose status would change."""
    report = simulate_service(
        db_session=context.db_session, actor=context.actor, weights=args.weights, as_of=context.as_of
    )
    ids = [item.client_id for item in report.status_changes]
    return SimulateResult(as_of=context.as_of, source_ids={"client": ids}, simulation=report)
