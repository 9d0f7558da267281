"""Per-run context handed to graph nodes through LangGraph's runtime (never part of the checkpointed state)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from langchain_core.runnables import Runnable
from sqlalchemy.orm import Session

from domain.access import Actor
from tools.base import TimelineSearch


@dataclass(frozen=True, slots=True)
class RunContext:
    actor: Actor
    db_session: Session
    as_of: dt.date
    now: dt.datetime
    channel: str
    message_id: str  # the channel's id for the user's message: idempotency keys derive from it
    chat_model: Runnable  # type: ignore[type-arg]  # a chat model with the tools bound
    max_steps: int = 6
    timeline_search: TimelineSearch | None = None  # semantic timeline search; None: keyword search only
