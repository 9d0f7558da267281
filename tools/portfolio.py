"""Portfolio tools: at-risk clients by urgency, the portfolio summary, upcoming renewals."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from domain.enums import HealthStatus
from domain.errors import NotFoundError
from domain.portfolio.rules import AT_RISK_STATUSES
from domain.portfolio.schemas import AtRiskList, PortfolioSummary, RenewalList
from domain.portfolio.service import list_at_risk_clients as at_risk_service
from domain.portfolio.service import list_renewals as renewals_service
from domain.portfolio.service import portfolio_summary as summary_service
from domain.staff.models import User
from tools.base import ToolContext, ToolResult, cs_tool


def csm_user_id(context: ToolContext, csm: str | None) -> int | None:
    """A CSM named by email or name (VPs filtering to one CSM's book)."""
    if not csm:
        return None
    wanted = csm.strip().lower()
    users = context.db_session.query(User.id, User.email, User.name).filter(
        User.workspace_id == context.actor.workspace_id
    )
    for user_id, email, name in users:
        if wanted in (email, name.lower(), name.lower().split()[0]):
            return int(user_id)
    raise NotFoundError(f"no staff member called {csm!r}")


class AtRiskArgs(BaseModel):
    statuses: list[Literal["AT_RISK", "CRITICAL", "MONITOR"]] | None = Field(
        None, description="Health statuses to include (default AT_RISK and CRITICAL)."
    )
    min_drop: float | None = Field(None, ge=0, le=100, description="Only clients whose health fell at least this much.")
    days: int = Field(30, ge=1, le=365, description="Window for the drop, in days.")
    renewal_within_days: int | None = Field(None, ge=0, le=730, description="Only clients renewing within N days.")
    csm: str | None = Field(None, description="One CSM's clients (email or name); for VPs and senior CSMs.")
    limit: int = Field(10, ge=1, le=100)


class AtRiskResult(ToolResult):
    at_risk: AtRiskList


@cs_tool("list_at_risk_clients", args=AtRiskArgs)
def list_at_risk_clients(args: AtRiskArgs, context: ToolContext) -> AtRiskResult:
    """Clients needing attention, most urgent first (urgency = risk x ARR x renewal proximity), with their
    health now and `days` ago, the drop, churn probability, ARR, days to renewal and CSM."""
    statuses = [HealthStatus(status) for status in args.statuses] if args.statuses else AT_RISK_STATUSES
    result = at_risk_service(
        db_session=context.db_session,
        actor=context.actor,
        as_of=context.as_of,
        statuses=statuses,
        min_drop=args.min_drop,
        days=args.days,
        renewal_within_days=args.renewal_within_days,
        csm_user_id=csm_user_id(context, args.csm),
        limit=args.limit,
    )
    return AtRiskResult(as_of=context.as_of, source_ids={"client": result.client_ids}, at_risk=result)


class PortfolioArgs(BaseModel):
    csm: str | None = Field(None, description="One CSM's book (email or name); for VPs and senior CSMs.")


class PortfolioResult(ToolResult):
    portfolio: PortfolioSummary


@cs_tool("portfolio_summary", args=PortfolioArgs)
def portfolio_summary(args: PortfolioArgs, context: ToolContext) -> PortfolioResult:
    """Portfolio summary: clients, at-risk count, average health, ARR and ARR at risk, status distribution,
    breakdowns by tier / industry / CSM / region, and the change over the last 30 days."""
    summary = summary_service(
        db_session=context.db_session,
        actor=context.actor,
        as_of=context.as_of,
        csm_user_id=csm_user_id(context, args.csm),
    )
    return PortfolioResult(
        as_of=context.as_of,
        source_ids={"client": summary.client_ids, "health_snapshot": summary.snapshot_ids},
        portfolio=summary,
    )


class RenewalsArgs(BaseModel):
    within_days: int = Field(90, ge=0, le=730, description="Renewals due within this many days.")
    csm: str | None = Field(None, description="One CSM's renewals (email or name); for VPs.")


class RenewalsResult(ToolResult):
    renewals: RenewalList


@cs_tool("list_renewals", args=RenewalsArgs)
def list_renewals(args: RenewalsArgs, context: ToolContext) -> RenewalsResult:
    """Upcoming renewals, soonest first, with health, ARR, churn risk and the 30/60/90-day bucket."""
    result = renewals_service(
        db_session=context.db_session,
        actor=context.actor,
        as_of=context.as_of,
        within_days=args.within_days,
        csm_user_id=csm_user_id(context, args.csm),
    )
    return RenewalsResult(as_of=context.as_of, source_ids={"client": result.client_ids}, renewals=result)
