"""Inbound deliveries seen once: the first to claim a (channel, id) does the work, a retry finds it claimed."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import delete, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from domain.conversations.models import ChannelEvent
from domain.db import session_scope

MAX_EXTERNAL_ID = 255


def external_key(*parts: str) -> str:
    """A stable id of at most 255 characters for parts that may be longer (thread ids, Message-IDs)."""
    joined = ":".join(parts)
    if len(joined) <= MAX_EXTERNAL_ID:
        return joined
    return hashlib.sha256(joined.encode()).hexdigest()


def claim_in_session(session: Session, *, channel: str, external_id: str, now: dt.datetime) -> bool:
    """Claim inside the caller's transaction, so the claim commits or rolls back with the work it guards."""
    try:
        with session.begin_nested():
            session.add(ChannelEvent(channel=channel, external_id=external_key(external_id), received_at=now))
    except IntegrityError:
        return False
    return True


def is_claimed(session: Session, *, channel: str, external_id: str) -> bool:
    query = select(
        exists().where(ChannelEvent.channel == channel, ChannelEvent.external_id == external_key(external_id))
    )
    return bool(session.scalar(query))


def claim_inbound(sessions: sessionmaker[Session], *, channel: str, external_id: str, now: dt.datetime) -> bool:
    """Claim in a transaction of its own, committed before any work: a concurrent retry (any process) stops."""
    try:
        with session_scope(sessions) as session:
            session.add(ChannelEvent(channel=channel, external_id=external_key(external_id), received_at=now))
    except IntegrityError:
        return False
    return True


def release_inbound(sessions: sessionmaker[Session], *, channel: str, external_id: str) -> None:
    """Forget a claim whose work failed, so the sender's retry is answered instead of dropped."""
    with session_scope(sessions) as session:
        session.execute(
            delete(ChannelEvent).where(
                ChannelEvent.channel == channel, ChannelEvent.external_id == external_key(external_id)
            )
        )
