"""The web chat turn: POST a message, get the turn back as Server-Sent Events (steps, answer text, final reply)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sse_starlette import EventSourceResponse

from agent.reply import Reply
from agent.streaming import TurnEvent
from channels.web.api_deps import NowDep
from channels.web.deps import ActorDep, SessionDep, StateDep
from channels.web.reply_view import reply_payload
from channels.web.state import WebState
from domain.access import Actor
from domain.conversations.service import get_conversation, record_turn
from domain.db import session_scope
from domain.errors import DomainError

CHANNEL = "web"
MAX_BODY_CHARS = 20_000  # the agent answers anything over its own limit with a clear message; this stops abuse
DECISION_TEXT = {"confirm": "yes", "cancel": "no"}
logger = logging.getLogger(__name__)
router = APIRouter(prefix="/chat", tags=["web chat"], include_in_schema=False)


class ChatMessage(BaseModel):
    """A message, a decision on the pending write (confirm / cancel), or edited arguments for it."""

    text: str = Field("", max_length=MAX_BODY_CHARS)
    thread_id: str | None = Field(None, max_length=64)
    decision: Literal["confirm", "cancel"] | None = None
    edit: dict[str, Any] | None = None
    message_id: str | None = Field(None, max_length=120)


@router.post("/messages", summary="Send a chat message; the answer streams back as Server-Sent Events")
def post_message(
    body: ChatMessage, session: SessionDep, actor: ActorDep, state: StateDep, now: NowDep
) -> EventSourceResponse:
    if body.thread_id:
        get_conversation(db_session=session, actor=actor, thread_id=body.thread_id)  # 404 unless it is theirs
    # The request's session stays open until the stream ends; commit now so its writes (the token's last use)
    # hold no database lock while the turn, in its own transaction, writes.
    session.commit()
    thread_id = body.thread_id or uuid.uuid4().hex[:16]
    text = DECISION_TEXT[body.decision] if body.decision else body.text
    turn = _Turn(state, actor, thread_id, text, body, now)
    return EventSourceResponse(turn.events(), ping=15)


@dataclass(frozen=True, slots=True)
class _Turn:
    """One turn run in a worker thread; its events cross into the event loop through an asyncio queue."""

    state: WebState
    actor: Actor
    thread_id: str
    text: str
    body: ChatMessage
    now: dt.datetime

    async def events(self) -> AsyncIterator[dict[str, str]]:
        loop = asyncio.get_running_loop()
        items: asyncio.Queue[TurnEvent | dict[str, Any] | BaseException] = asyncio.Queue()

        def push(item: TurnEvent | dict[str, Any] | BaseException) -> None:
            loop.call_soon_threadsafe(items.put_nowait, item)

        worker = loop.run_in_executor(None, self._run, push)
        yield _sse("thread", {"thread_id": self.thread_id})
        while True:
            item = await items.get()
            if isinstance(item, TurnEvent):
                yield _sse(item.kind, item.data)
                continue
            if isinstance(item, BaseException):
                yield _sse("error", {"message": _describe(item)})
            else:
                yield _sse("reply", item)
            break
        await worker

    def _run(self, push: Callable[[Any], None]) -> None:
        try:
            push(self._answer(push))
        except BaseException as problem:  # reported to the browser as an error event, never a torn stream
            if not isinstance(problem, DomainError):
                logger.exception("web chat turn failed (thread %s)", self.thread_id)
            push(problem)

    def _answer(self, push: Callable[[Any], None]) -> dict[str, Any]:
        with session_scope(self.state.sessions) as session:
            conversation = record_turn(
                db_session=session,
                actor=self.actor,
                thread_id=self.thread_id,
                channel=CHANNEL,
                text=self.text or "edit",
                now=dt.datetime.now(dt.UTC),  # when the user spoke, even when the domain clock is pinned
            )
        reply: Reply = self.state.agent().run_turn(
            self.actor,
            self.text,
            self.thread_id,
            CHANNEL,
            message_id=self.body.message_id,
            edit=self.body.edit,
            now=self.now,
            on_event=push,
        )
        with session_scope(self.state.sessions) as session:
            payload = reply_payload(reply, session, self.actor)
        payload["conversation"] = conversation.model_dump(mode="json")
        return payload


def _sse(event: str, data: dict[str, Any]) -> dict[str, str]:
    return {"event": event, "data": json.dumps(data, default=str)}


def _describe(problem: BaseException) -> str:
    if isinstance(problem, DomainError):
        return str(problem)
    return "Something went wrong answering that; the error was logged. Please try again."
