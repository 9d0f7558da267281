"""One inbound email as a turn with csagent: known staff only, once per Message-ID, answered in the same thread."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

import prompts
from agent.reply import Reply
from agent.runner import Agent
from channels.email.compose import compose_email
from channels.email.parse import InboundEmail
from channels.email.smtp import send_email
from domain.access import Actor
from domain.conversations.inbound import claim_inbound, release_inbound
from domain.conversations.models import Conversation
from domain.db import session_scope
from domain.settings import Settings
from domain.staff.models import User

logger = logging.getLogger(__name__)

CHANNEL = "email"
UNSUBSCRIBE_WORDS = frozenset({"unsubscribe", "stop"})


@dataclass(frozen=True, slots=True)
class InboundResult:
    status: str  # answered | duplicate | rejected | unsubscribed
    thread_id: str | None = None
    reply_message_id: str | None = None


def handle_inbound_email(
    settings: Settings, sessions: sessionmaker[Session], agent: Agent, email: InboundEmail, now: dt.datetime
) -> InboundResult:
    """Answer a staff member's email by SMTP in the same thread; anyone else gets nothing and is logged."""
    with session_scope(sessions) as session:
        user = session.scalar(select(User).where(User.email == email.sender, User.is_active.is_(True)))
        actor = Actor.from_user(user) if user else None
    if actor is None:
        logger.warning("inbound email from unknown sender %s (Message-ID %s) rejected", email.sender, email.message_id)
        return InboundResult("rejected")
    # Claimed before the turn runs: a concurrent retry of the same mail stops here.
    if not claim_inbound(sessions, channel=CHANNEL, external_id=email.message_id, now=now):
        return InboundResult("duplicate")
    try:
        if _is_unsubscribe(email):
            return _unsubscribe(settings, sessions, actor, email, now)
        thread_id = f"email:{email.thread_root}"
        _remember_conversation(sessions, actor, thread_id, email, now)
        reply = agent.run_turn(actor, email.text, thread_id, CHANNEL, message_id=email.message_id, now=now)
        sent = _send_reply(settings, actor, email, render_reply(reply), now)
    except Exception:
        release_inbound(sessions, channel=CHANNEL, external_id=email.message_id)  # the webhook's retry tries again
        raise
    return InboundResult("answered", thread_id, sent)


def render_reply(reply: Reply) -> str:
    pending = reply.pending_confirmation.model_dump() if reply.pending_confirmation else None
    return prompts.render("email/reply.md.j2", answer=reply.answer, pending=pending, notes=reply.notes)


def _remember_conversation(
    sessions: sessionmaker[Session], actor: Actor, thread_id: str, email: InboundEmail, now: dt.datetime
) -> None:
    """List the thread among the user's conversations (the checkpointer holds its turns)."""
    with session_scope(sessions) as session:
        row = session.scalar(select(Conversation).where(Conversation.thread_id == thread_id))
        if row is None:
            title = (email.subject or email.text)[:200] or "Email"
            session.add(
                Conversation(
                    workspace_id=actor.workspace_id, user_id=actor.user_id, thread_id=thread_id,
                    channel=CHANNEL, title=title, created_at=now, last_message_at=now,
                )
            )  # fmt: skip
        else:
            row.last_message_at = now


def _is_unsubscribe(email: InboundEmail) -> bool:
    words = {email.subject.strip().lower().removeprefix("re:").strip(), email.text.strip().lower().strip(".!")}
    return bool(words & UNSUBSCRIBE_WORDS)


def _unsubscribe(
    settings: Settings, sessions: sessionmaker[Session], actor: Actor, email: InboundEmail, now: dt.datetime
) -> InboundResult:
    """The List-Unsubscribe mail (or a reply saying "unsubscribe"): stop the user's briefings."""
    with session_scope(sessions) as session:
        user = session.get(User, actor.user_id)
        if user is not None:
            user.briefing_opt_out = True
    text = "You will no longer get the daily briefing. Reply to any csagent email to ask me things as before."
    sent = _send_reply(settings, actor, email, text, now)
    return InboundResult("unsubscribed", None, sent)


def _send_reply(settings: Settings, actor: Actor, email: InboundEmail, markdown: str, now: dt.datetime) -> str:
    message = compose_email(
        settings, to=actor.email, subject=email.reply_subject, markdown=markdown, now=now, bulk=False,
        in_reply_to=email.message_id, references=email.references,
    )  # fmt: skip
    send_email(settings, message)
    return str(message["Message-ID"])
