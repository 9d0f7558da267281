"""Seed 000's client success layer as tools: the result target, baseline, interventions, weekly outcomes,
risks, feedback, and the proof post built from them. Writes pause for confirmation."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from domain.clients.models import Contact
from domain.enums import InterventionKind, MetricDirection
from domain.errors import NotFoundError, ValidationError
from domain.success.journal import add_risk as add_risk_service
from domain.success.journal import log_feedback as log_feedback_service
from domain.success.journal import log_intervention as log_intervention_service
from domain.success.journal import resolve_risk as resolve_risk_service
from domain.success.proof import generate_proof as generate_proof_service
from domain.success.reads import get_success_data
from domain.success.rules import week_start
from domain.success.schemas import (
    BaselineView,
    FeedbackView,
    InterventionView,
    OutcomeEntryRecorded,
    ProofPostView,
    ResultTargetSet,
    RiskView,
)
from domain.success.service import add_outcome_entry as add_outcome_service
from domain.success.service import record_baseline as record_baseline_service
from domain.success.service import set_result_target as set_target_service
from tools.base import ToolContext, ToolResult, cs_tool, resolve_client


class TargetArgs(BaseModel):
    client: str
    metric: str = Field(description="What is measured, e.g. 'hours spent on manual reporting'.")
    unit: str = Field(description="Its unit, e.g. 'hours/week'.")
    current_value: float
    target_value: float
    target_date: dt.date = Field(description="When the target should be reached.")
    direction: MetricDirection | None = Field(None, description="Default: inferred from current vs target.")
    current_state: str | None = Field(None, description="The situation now, in words.")
    target_state: str | None = Field(None, description="The situation to reach, in words.")


class TargetResult(ToolResult):
    result_target: ResultTargetSet


def _target_summary(args: TargetArgs) -> str:
    return (
        f"Set {args.client}'s result target: {args.metric} from {args.current_value:g} to "
        f"{args.target_value:g} {args.unit} by {args.target_date.isoformat()}"
    )


@cs_tool("set_result_target", args=TargetArgs, writes=True, summarize=_target_summary)
def set_result_target(args: TargetArgs, context: ToolContext) -> TargetResult:
    """Set the client's result target (the outcome contract: current -> target on a metric by a date); the
    previous target is kept as history. Only for clients that are APPROVED, BUILDING or SHIPPED."""
    client = resolve_client(context, args.client)
    direction = args.direction or (
        MetricDirection.LOWER_IS_BETTER if args.target_value < args.current_value else MetricDirection.HIGHER_IS_BETTER
    )
    result = set_target_service(
        db_session=context.db_session,
        actor=context.actor,
        client_id=client.id,
        current_state=args.current_state or f"{args.metric}: {args.current_value:g} {args.unit}",
        target_state=args.target_state or f"{args.metric}: {args.target_value:g} {args.unit}",
        metric=args.metric,
        unit=args.unit,
        direction=direction,
        current_value=args.current_value,
        target_value=args.target_value,
        target_date=args.target_date,
        as_of=context.as_of,
    )
    return TargetResult(as_of=context.as_of, source_ids={"result_target": [result.target.id]}, result_target=result)


class BaselineArgs(BaseModel):
    client: str
    value: float = Field(description="The target metric's value at delivery start.")
    unit: str | None = Field(None, description="Its unit (default: the result target's unit).")
    captured_on: dt.date | None = Field(None, description="Default today.")
    notes: str | None = None


class BaselineResult(ToolResult):
    baseline: BaselineView


@cs_tool(
    "record_baseline",
    args=BaselineArgs,
    writes=True,
    summarize=lambda a: f"Record {a.client}'s baseline: {a.value:g}{' ' + a.unit if a.unit else ''}",
)
def record_baseline(args: BaselineArgs, context: ToolContext) -> BaselineResult:
    """Capture the "before" value of the result target's metric at delivery start."""
    client = resolve_client(context, args.client)
    baseline = record_baseline_service(
        db_session=context.db_session,
        actor=context.actor,
        client_id=client.id,
        captured_on=args.captured_on or context.as_of,
        as_of=context.as_of,
        value=args.value,
        unit=args.unit,
        notes=args.notes,
    )
    return BaselineResult(as_of=context.as_of, source_ids={"baseline": [baseline.id]}, baseline=baseline)


class InterventionArgs(BaseModel):
    client: str
    kind: InterventionKind = Field(description="What changed: automation, workflow, tool_stack or process.")
    title: str = Field(description="What was changed, in a few words.")
    description: str | None = None
    occurred_on: dt.date | None = Field(None, description="Default today.")


class InterventionResult(ToolResult):
    intervention: InterventionView


@cs_tool(
    "log_intervention",
    args=InterventionArgs,
    writes=True,
    summarize=lambda a: f"Log a {a.kind.value.replace('_', ' ')} intervention for {a.client}: {a.title}",
)
def log_intervention(args: InterventionArgs, context: ToolContext) -> InterventionResult:
    """Log what was changed for the client (automation, workflow, tool stack, process) and when."""
    client = resolve_client(context, args.client)
    view = log_intervention_service(
        db_session=context.db_session,
        actor=context.actor,
        client_id=client.id,
        kind=args.kind,
        title=args.title,
        description=args.description,
        occurred_on=args.occurred_on or context.as_of,
        as_of=context.as_of,
    )
    return InterventionResult(as_of=context.as_of, source_ids={"intervention": [view.id]}, intervention=view)


class OutcomeArgs(BaseModel):
    client: str
    value: float = Field(description="This week's value of the result target's metric.")
    unit: str | None = Field(None, description="Its unit (default: the target's unit; simple units convert).")
    week_of: dt.date | None = Field(None, description="Any day of the week measured (default: this week).")
    notes: str | None = None


class OutcomeResult(ToolResult):
    outcome: OutcomeEntryRecorded


@cs_tool(
    "add_outcome_entry",
    args=OutcomeArgs,
    writes=True,
    summarize=lambda a: (
        f"Record {a.client}'s outcome for the week of {(a.week_of or dt.date.today()).isoformat()}: "
        f"{a.value:g}{' ' + a.unit if a.unit else ''}"
    ),
)
def add_outcome_entry(args: OutcomeArgs, context: ToolContext) -> OutcomeResult:
    """Record a weekly outcome scorecard value in the result target's metric (one value per week)."""
    client = resolve_client(context, args.client)
    unit = reconcile_unit(args.unit, _target_unit(context, client.id))
    recorded = add_outcome_service(
        db_session=context.db_session,
        actor=context.actor,
        client_id=client.id,
        value=args.value,
        unit=unit,
        week_start=week_start(args.week_of or context.as_of),
        as_of=context.as_of,
        notes=args.notes,
    )
    return OutcomeResult(as_of=context.as_of, source_ids={"outcome_entry": [recorded.entry.id]}, outcome=recorded)


def reconcile_unit(given: str | None, target_unit: str) -> str:
    """A weekly scorecard value typed as "9 hours" means the target's "hours/week": same measure, per week."""
    if not given:
        return target_unit
    base = target_unit.split("/", 1)[0].strip().lower()
    return target_unit if "/" in target_unit and given.strip().lower() == base else given


def _target_unit(context: ToolContext, client_id: int) -> str:
    data = get_success_data(
        db_session=context.db_session, actor=context.actor, client_id=client_id, as_of=context.as_of
    )
    if data.target is None:
        raise ValidationError(f"{data.client_name} has no result target yet; set one first")
    return data.target.unit


class RiskArgs(BaseModel):
    client: str
    description: str = Field(description="What is blocking results now.")
    severity: str = Field("medium", description="low, medium or high.")


class RiskResult(ToolResult):
    risk: RiskView


@cs_tool(
    "add_risk",
    args=RiskArgs,
    writes=True,
    summarize=lambda a: f"Add a {a.severity} risk for {a.client}: {a.description}",
)
def add_risk(args: RiskArgs, context: ToolContext) -> RiskResult:
    """Track a risk or bottleneck that is blocking the client's results now."""
    client = resolve_client(context, args.client)
    view = add_risk_service(
        db_session=context.db_session,
        actor=context.actor,
        client_id=client.id,
        description=args.description,
        as_of=context.as_of,
        severity=args.severity,
    )
    return RiskResult(as_of=context.as_of, source_ids={"risk": [view.id]}, risk=view)


class ResolveRiskArgs(BaseModel):
    client: str
    risk: str = Field(description="The risk's number, or words from its description.")
    resolution: str = Field(min_length=1, description="How it was resolved (required).")


@cs_tool(
    "resolve_risk",
    args=ResolveRiskArgs,
    writes=True,
    summarize=lambda a: f"Resolve {a.client}'s risk '{a.risk}': {a.resolution}",
)
def resolve_risk(args: ResolveRiskArgs, context: ToolContext) -> RiskResult:
    """Resolve an open risk or bottleneck, with how it was resolved."""
    client = resolve_client(context, args.client)
    risk_id = _open_risk_id(context, client.id, args.risk)
    view = resolve_risk_service(
        db_session=context.db_session,
        actor=context.actor,
        risk_id=risk_id,
        resolution=args.resolution,
        now=context.now,
    )
    return RiskResult(as_of=context.as_of, source_ids={"risk": [view.id]}, risk=view)


def _open_risk_id(context: ToolContext, client_id: int, reference: str) -> int:
    data = get_success_data(
        db_session=context.db_session, actor=context.actor, client_id=client_id, as_of=context.as_of
    )
    open_risks = [risk for risk in data.risks if risk.resolved_at is None]
    if reference.strip().lstrip("#").isdigit():
        wanted = int(reference.strip().lstrip("#"))
        if any(risk.id == wanted for risk in open_risks):
            return wanted
        raise NotFoundError(f"{data.client_name} has no open risk #{wanted}")
    words = [word for word in reference.lower().split() if len(word) > 2]
    matches = [risk for risk in open_risks if all(word in risk.description.lower() for word in words)]
    if len(matches) == 1:
        return matches[0].id
    listed = "; ".join(f"#{risk.id} {risk.description}" for risk in (matches or open_risks)[:6]) or "none"
    raise ValidationError(f"which risk? open risks at {data.client_name}: {listed}")


class FeedbackArgs(BaseModel):
    client: str
    response: str = Field(description="What the client said.")
    contact: str | None = Field(None, description="Who said it (a contact's name).")
    sentiment: str | None = Field(None, description="positive, neutral or negative.")


class FeedbackResult(ToolResult):
    feedback: FeedbackView


@cs_tool(
    "log_feedback", args=FeedbackArgs, writes=True, summarize=lambda a: f'Log feedback from {a.client}: "{a.response}"'
)
def log_feedback(args: FeedbackArgs, context: ToolContext) -> FeedbackResult:
    """Log a client check-in answer ("what still feels slow or confusing?")."""
    client = resolve_client(context, args.client)
    contact_id = _contact_id(context, client.id, args.contact) if args.contact else None
    view = log_feedback_service(
        db_session=context.db_session,
        actor=context.actor,
        client_id=client.id,
        response=args.response,
        as_of=context.as_of,
        contact_id=contact_id,
        sentiment=args.sentiment,
    )
    return FeedbackResult(as_of=context.as_of, source_ids={"feedback": [view.id]}, feedback=view)


def _contact_id(context: ToolContext, client_id: int, name: str) -> int:
    wanted = name.strip().lower()
    for contact_id, contact_name in context.db_session.query(Contact.id, Contact.name).filter(
        Contact.client_id == client_id
    ):
        if wanted in (contact_name.lower(), contact_name.lower().split()[0]):
            return int(contact_id)
    raise NotFoundError(f"no contact called {name!r} at this client")


class ProofArgs(BaseModel):
    client: str


class ProofResult(ToolResult):
    proof: ProofPostView


@cs_tool("generate_proof", args=ProofArgs)
def generate_proof(args: ProofArgs, context: ToolContext) -> ProofResult:
    """Build a proof post from measured data only: baseline -> latest, change, progress against the target,
    the interventions that produced it, a client quote; plus case-study bullets and a proposal snippet."""
    client = resolve_client(context, args.client)
    post = generate_proof_service(
        db_session=context.db_session, actor=context.actor, client_id=client.id, as_of=context.as_of
    )
    return ProofResult(as_of=context.as_of, source_ids=post.source_ids, proof=post)
