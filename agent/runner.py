"""run_turn: the one entry point every channel calls. One transaction per turn; confirmations resume the graph."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from langchain_core.messages import HumanMessage
from langchain_core.runnables import RunnableConfig
from langgraph.types import Command
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from agent.checkpointer import open_checkpointer
from agent.confirm import ConfirmationRequest, ConfirmationResponse, classify_reply
from agent.context import RunContext
from agent.graph import build_graph
from agent.models.factory import make_chat_model
from agent.offline.edits import extract_edit
from agent.offline.vocabulary import build_vocabulary
from agent.reply import Reply
from agent.transcript import build_reply
from domain.access import Actor
from domain.db import make_engine, make_session_factory, session_scope
from domain.settings import Settings
from tools import TOOLS

MAX_MESSAGE_CHARS = 8000
EMPTY_ANSWER = 'Ask me about your clients, for example "who is at risk?" or "why is Acme dropping?".'


class Agent:
    """A warm agent: settings, database, checkpointer and compiled graph, reused across turns."""

    def __init__(self, settings: Settings, engine: Engine, checkpointer: Any) -> None:
        self.settings = settings
        self.sessions: sessionmaker[Session] = make_session_factory(engine)
        self.graph = build_graph(checkpointer)
        self.tools = [tool.langchain_tool for tool in TOOLS.values()]

    def run_turn(
        self,
        actor: Actor,
        text: str,
        thread_id: str,
        channel: str,
        *,
        message_id: str | None = None,
        auto_confirm: bool = False,
        edit: dict[str, Any] | None = None,
        now: dt.datetime | None = None,
    ) -> Reply:
        """Answer one message in a thread. Writes wait for "yes" (or auto_confirm); nothing is written before."""
        now = now or dt.datetime.now(dt.UTC)
        as_of = now.date()
        text = text.strip()
        if not text and edit is None:
            return Reply(thread_id=thread_id, model=self.settings.model, as_of=as_of, answer=EMPTY_ANSWER)
        if len(text) > MAX_MESSAGE_CHARS:
            answer = (
                f"That message is {len(text):,} characters; I accept up to {MAX_MESSAGE_CHARS:,}. Nothing was done."
            )
            return Reply(thread_id=thread_id, model=self.settings.model, as_of=as_of, answer=answer)
        config: RunnableConfig = {
            "configurable": {"thread_id": f"{actor.workspace_id}:{actor.user_id}:{thread_id}"},
            "recursion_limit": 40,
        }
        with session_scope(self.sessions) as session:
            vocabulary = build_vocabulary(session, actor)
            chat_model = make_chat_model(
                settings=self.settings, tools=self.tools, vocabulary=vocabulary, actor=actor, as_of=as_of
            )
            context = RunContext(actor, session, as_of, now, channel, message_id or uuid.uuid4().hex, chat_model)
            history = self.graph.get_state(config).values.get("messages", [])
            seen = next((i for i, m in enumerate(history) if message_id and m.id == message_id), None)
            if seen is not None:  # a retried delivery of a message already handled: answer it again, run nothing
                return build_reply(
                    thread_id=thread_id,
                    model=self.settings.model,
                    as_of=as_of,
                    messages=history[seen + 1 :],
                    pending=self.pending(config),
                    notes=["this message was already handled; nothing was run again"],
                )
            before = len(history)
            notes = self._advance(config, context, text, edit)
            while auto_confirm and self.pending(config) is not None:
                self._resume(config, context, ConfirmationResponse(decision="accept"))
            state = self.graph.get_state(config)
            return build_reply(
                thread_id=thread_id,
                model=self.settings.model,
                as_of=as_of,
                messages=state.values.get("messages", [])[before:],
                pending=self.pending(config),
                notes=notes,
            )

    def pending(self, config: RunnableConfig) -> ConfirmationRequest | None:
        """The write waiting for confirmation in this thread, if any."""
        for interrupt in self.graph.get_state(config).interrupts:
            return ConfirmationRequest.model_validate(interrupt.value)
        return None

    def _advance(
        self, config: RunnableConfig, context: RunContext, text: str, edit: dict[str, Any] | None
    ) -> list[str]:
        pending = self.pending(config)
        if pending is None:
            self._ask(config, context, text)
            return []
        decision = "edit" if edit else classify_reply(text)
        if decision is not None:
            self._resume(config, context, ConfirmationResponse(decision=decision, args=edit))
            return []
        changes = extract_edit(pending.tool, pending.args, text, context.as_of)
        if changes:
            self._resume(config, context, ConfirmationResponse(decision="edit", args=changes))
            return []
        self._resume(config, context, ConfirmationResponse(decision="cancel"))
        self._ask(config, context, text)
        return [f"The pending {pending.tool.replace('_', ' ')} was cancelled because you asked something else."]

    def _ask(self, config: RunnableConfig, context: RunContext, text: str) -> None:
        message = HumanMessage(content=text, id=context.message_id)
        self.graph.invoke({"messages": [message], "steps": 0}, config, context=context)

    def _resume(self, config: RunnableConfig, context: RunContext, response: ConfirmationResponse) -> None:
        self.graph.invoke(Command(resume=response.model_dump()), config, context=context)


@contextmanager
def open_agent(settings: Settings, engine: Engine | None = None) -> Iterator[Agent]:
    """An Agent with its checkpointer open for the duration of the block."""
    owned = engine is None
    engine = engine or make_engine(settings.database_url)
    try:
        with open_checkpointer(settings) as checkpointer:
            yield Agent(settings, engine, checkpointer)
    finally:
        if owned:
            engine.dispose()
