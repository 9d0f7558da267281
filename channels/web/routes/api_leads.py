"""Seed 000's routes on the success layer: GET/POST /api/leads/{id}/client-success (a lead is a client here)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body
from pydantic import BaseModel
from sqlalchemy.orm import Session

from channels.web.api_deps import AsOfDep, IdempotencyKeyDep, NowDep, id_path
from channels.web.deps import ActorDep, SessionDep
from channels.web.idempotency import run_once
from channels.web.schemas.errors import ERRORS
from channels.web.schemas.leads import (
    BaselineIn,
    ClientSuccessIn,
    ClientSuccessWritten,
    FeedbackIn,
    InterventionIn,
    OutcomeEntryIn,
    ResolveRiskIn,
    ResultTargetIn,
    RiskIn,
)
from domain.access import Actor
from domain.success.journal import DEFAULT_QUESTION, add_risk, log_feedback, log_intervention, resolve_risk
from domain.success.reads import get_success_data
from domain.success.schemas import SuccessData
from domain.success.service import add_outcome_entry, record_baseline, set_result_target

router = APIRouter(prefix="/api/leads", tags=["seed 000: client success layer"], responses=ERRORS)
LeadId = Annotated[int, id_path("lead (client)")]


@router.get("/{lead_id}/client-success", response_model=SuccessData, summary="Full client success data")
def get_client_success(lead_id: LeadId, session: SessionDep, actor: ActorDep, as_of: AsOfDep) -> SuccessData:
    """Result target, baseline, interventions, outcome scorecard, risks, feedback and progress."""
    return get_success_data(db_session=session, actor=actor, client_id=lead_id, as_of=as_of)


@router.post("/{lead_id}/client-success", response_model=ClientSuccessWritten, summary="Add to the success layer")
def post_client_success(
    lead_id: LeadId,
    body: Annotated[ClientSuccessIn, Body()],
    session: SessionDep,
    actor: ActorDep,
    as_of: AsOfDep,
    now: NowDep,
    key: IdempotencyKeyDep,
) -> ClientSuccessWritten:
    """`{type, payload}` or `{type: "resolve_risk", riskId}`; with an Idempotency-Key a retry writes nothing."""
    return run_once(
        session,
        actor,
        f"lead_{body.type}",
        key,
        ClientSuccessWritten,
        lambda: ClientSuccessWritten(type=body.type, result=_write(session, actor, lead_id, body, as_of, now)),
    )


def _write(
    session: Session, actor: Actor, client_id: int, body: ClientSuccessIn, as_of: AsOfDep, now: NowDep
) -> BaseModel:
    match body:
        case ResultTargetIn(payload=p):
            return set_result_target(
                db_session=session, actor=actor, client_id=client_id, as_of=as_of, **p.model_dump()
            )
        case BaselineIn(payload=p):
            return record_baseline(db_session=session, actor=actor, client_id=client_id, as_of=as_of, **p.model_dump())
        case InterventionIn(payload=p):
            return log_intervention(db_session=session, actor=actor, client_id=client_id, as_of=as_of, **p.model_dump())
        case OutcomeEntryIn(payload=p):
            return add_outcome_entry(
                db_session=session, actor=actor, client_id=client_id, as_of=as_of, **p.model_dump()
            )
        case RiskIn(payload=p):
            return add_risk(db_session=session, actor=actor, client_id=client_id, as_of=as_of, **p.model_dump())
        case FeedbackIn(payload=p):
            fields = p.model_dump()
            fields["question"] = fields["question"] or DEFAULT_QUESTION
            return log_feedback(db_session=session, actor=actor, client_id=client_id, as_of=as_of, **fields)
        case ResolveRiskIn():
            return resolve_risk(
                db_session=session, actor=actor, risk_id=body.risk_id, resolution=body.resolution, now=now
            )
    raise AssertionError(f"unhandled type {body.type}")  # the discriminated union admits no other
