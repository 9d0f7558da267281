"""The signed-in user's web conversations: the list, newest first, and one thread's turns to reload it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from channels.web.api_deps import NowDep
from channels.web.deps import ActorDep, SessionDep, StateDep
from channels.web.reply_view import reply_payload
from domain.conversations.schemas import ConversationView
from domain.conversations.service import get_conversation, list_conversations

router = APIRouter(prefix="/conversations", tags=["web chat"], include_in_schema=False)


class ConversationTurns(BaseModel):
    conversation: ConversationView
    turns: list[dict[str, Any]]  # [{"question": str, "reply": reply payload (see channels/web/reply_view.py)}]


@router.get("", response_model=list[ConversationView], summary="My web conversations, most recent first")
def my_conversations(
    session: SessionDep, actor: ActorDep, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> list[ConversationView]:
    return list_conversations(db_session=session, actor=actor, channel="web", limit=limit)


@router.get("/{thread_id}", response_model=ConversationTurns, summary="One conversation's turns, oldest first")
def conversation_turns(
    thread_id: str, session: SessionDep, actor: ActorDep, state: StateDep, now: NowDep
) -> ConversationTurns:
    conversation = get_conversation(db_session=session, actor=actor, thread_id=thread_id)
    history = state.agent().thread_history(actor, thread_id, now=now)
    return ConversationTurns(
        conversation=ConversationView.model_validate(conversation),
        turns=[{"question": question, "reply": reply_payload(reply, session, actor)} for question, reply in history],
    )
