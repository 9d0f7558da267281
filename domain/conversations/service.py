"""Conversations as their owner sees them: recorded on every turn, listed newest first, never another user's."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.conversations.models import Conversation
from domain.conversations.schemas import ConversationView
from domain.errors import NotFoundError, ValidationError

TITLE_CHARS = 80
MAX_LISTED = 200


def title_from(text: str) -> str:
    """A one-line title from the first message: whitespace collapsed, cut at a word near TITLE_CHARS."""
    words = " ".join(text.split())
    if not words:
        return "New conversation"
    if len(words) <= TITLE_CHARS:
        return words
    cut = words[: TITLE_CHARS - 1].rsplit(" ", 1)[0]
    return cut + "…"


def get_conversation(*, db_session: Session, actor: Actor, thread_id: str) -> Conversation:
    """The actor's own conversation with this thread id; anyone else's is reported as missing."""
    row = db_session.scalar(select(Conversation).where(Conversation.thread_id == thread_id))
    if row is None or row.user_id != actor.user_id or row.workspace_id != actor.workspace_id:
        raise NotFoundError(f"no conversation {thread_id!r}")
    return row


def record_turn(
    *, db_session: Session, actor: Actor, thread_id: str, channel: str, text: str, now: dt.datetime
) -> ConversationView:
    """Start the conversation on its first message (titled from it) or mark it as just used."""
    if not thread_id.strip():
        raise ValidationError("a conversation needs a thread id")
    row = db_session.scalar(select(Conversation).where(Conversation.thread_id == thread_id))
    if row is None:
        row = Conversation(
            workspace_id=actor.workspace_id,
            user_id=actor.user_id,
            thread_id=thread_id,
            channel=channel,
            title=title_from(text),
            created_at=now,
            last_message_at=now,
        )
        db_session.add(row)
    elif row.user_id != actor.user_id or row.workspace_id != actor.workspace_id:
        raise NotFoundError(f"no conversation {thread_id!r}")
    else:
        row.last_message_at = max(row.last_message_at, now)
    db_session.flush()
    return ConversationView.model_validate(row)


def list_conversations(
    *, db_session: Session, actor: Actor, channel: str | None = None, limit: int = 50
) -> list[ConversationView]:
    """The actor's conversations, most recently used first."""
    query = (
        select(Conversation)
        .where(Conversation.user_id == actor.user_id, Conversation.workspace_id == actor.workspace_id)
        .order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
        .limit(max(1, min(limit, MAX_LISTED)))
    )
    if channel is not None:
        query = query.where(Conversation.channel == channel)
    return [ConversationView.model_validate(row) for row in db_session.scalars(query)]
