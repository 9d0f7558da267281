"""Seed 004 AI endpoints. Chat and summaries run the agent (grounded in tool results); actions and email
drafts call one tool each. Nothing here is sent to anyone."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from agent.reply import Reply
from channels.web.api_deps import AsOfDep, ClientId, IdempotencyKeyDep, NowDep
from channels.web.deps import ActorDep, SessionDep, StateDep
from channels.web.schemas.ai import ChatIn, EmailDraftIn, RecommendedActions
from channels.web.schemas.errors import ERRORS
from domain.access import get_visible_client
from tools.base import ToolContext
from tools.outreach import OutreachArgs, OutreachResult, draft_outreach
from tools.scores import DriversArgs, explain_score_drivers

router = APIRouter(prefix="/api/v1/client-success", tags=["ai"], responses=ERRORS)
CHANNEL = "api"


@router.post("/ai/chat", response_model=Reply, summary="Natural language query")
def post_chat(
    body: ChatIn, session: SessionDep, actor: ActorDep, state: StateDep, now: NowDep, key: IdempotencyKeyDep
) -> Reply:
    """One turn with the agent. A write waits in `pending_confirmation` until the thread says "yes" (or `confirm`).

    The Idempotency-Key is the message id: a retried message is answered again and runs nothing twice."""
    session.commit()  # the agent writes in its own transaction; ours must not hold the database meanwhile
    thread = body.thread_id or f"api-{uuid.uuid4().hex}"
    return state.agent().run_turn(
        actor, body.message, thread, CHANNEL, message_id=key, auto_confirm=body.confirm, now=now
    )


@router.get("/clients/{client_id}/summary", response_model=Reply, summary="AI-generated summary")
def get_summary(client_id: ClientId, session: SessionDep, actor: ActorDep, state: StateDep, now: NowDep) -> Reply:
    """The agent's overview of the client (health, churn, alerts, activity, renewal), with the tool calls behind it."""
    return _summary(client_id, session, actor, state, now)


@router.post("/clients/{client_id}/ai/summary", response_model=Reply, summary="Generate client summary")
def post_summary(client_id: ClientId, session: SessionDep, actor: ActorDep, state: StateDep, now: NowDep) -> Reply:
    return _summary(client_id, session, actor, state, now)


def _summary(client_id: int, session: SessionDep, actor: ActorDep, state: StateDep, now: NowDep) -> Reply:
    client = get_visible_client(session, actor, client_id)
    name = client.name
    session.commit()  # see post_chat
    text = f"Give me an overview of {name}"
    return state.agent().run_turn(actor, text, f"api-summary-{uuid.uuid4().hex}", CHANNEL, now=now)


@router.post("/clients/{client_id}/ai/actions", response_model=RecommendedActions, summary="Get recommended actions")
def post_actions(
    client_id: ClientId, session: SessionDep, actor: ActorDep, as_of: AsOfDep, now: NowDep
) -> RecommendedActions:
    """Playbook actions from the score's drivers and the churn factors; recommendations only."""
    context = ToolContext(actor=actor, db_session=session, as_of=as_of, now=now, channel=CHANNEL)
    result = explain_score_drivers.run(DriversArgs(client=str(client_id)), context)
    churn_actions = result.churn.recommended_actions if result.churn else []
    return RecommendedActions(
        client_id=result.score.client_id,
        client_name=result.score.client_name,
        as_of=as_of,
        actions=list(dict.fromkeys([*result.drivers.recommended_actions, *churn_actions])),
        most_impactful_input=result.drivers.most_impactful_input,
        churn_risk_band=result.churn.risk_band if result.churn else None,
        source_ids=result.source_ids,
    )


@router.post("/clients/{client_id}/ai/email-draft", response_model=OutreachResult, summary="Draft outreach email")
def post_email_draft(
    client_id: ClientId, body: EmailDraftIn, session: SessionDep, actor: ActorDep, as_of: AsOfDep, now: NowDep
) -> OutreachResult:
    """A subject and body to the right contact for the purpose, from the client's real data. Never sent."""
    context = ToolContext(actor=actor, db_session=session, as_of=as_of, now=now, channel=CHANNEL)
    return draft_outreach.run(OutreachArgs(client=str(client_id), purpose=body.purpose, contact=body.contact), context)
