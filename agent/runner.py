"""run_turn: the one entry point every channel calls. One transaction per turn; confirmations resume the graph."""

from __future__ import annotations

import datetime as dt
import queue
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from langchain_core.messages import BaseMessage, HumanMessage
from langchain_core.runnables import RunnableConfig
from langgraph.types import Command, StateSnapshot
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from agent.attachments import attachments_for
from agent.checkpointer import open_checkpointer
from agent.confirm import ConfirmationRequest, ConfirmationResponse, classify_reply
from agent.context import RunContext
from agent.graph import build_graph
from agent.models.factory import make_chat_model
from agent.offline.edits import extract_edit
from agent.offline.vocabulary import build_vocabulary
from agent.reply import Reply
from agent.retrieval.search import TimelineSearcher
from agent.retrieval.sync import after_commit
from agent.streaming import STREAM_MODES, EventSink, TurnEvent, turn_events
from agent.transcript import build_reply
from domain.access import Actor
from domain.conversations.inbound import claim_in_session, is_claimed
from domain.db import make_engine, make_session_factory, session_scope
from domain.settings import Settings
from tools import TOOLS

MAX_MESSAGE_CHARS = 8000
WRITE_TOOLS = frozenset(name for name, tool in TOOLS.items() if tool.writes)
REPLY_CLAIMS = "turn-reply"  # ChannelEvent channel for confirmation replies already handled
ALREADY_HANDLED = "this message was already handled; nothing was run again"
EMPTY_ANSWER = 'Ask me about your clients, for example "who is at risk?" or "why is Acme dropping?".'
THREAD_LOCK_STRIPES = 64


class Agent:
    """A warm agent: settings, database, checkpointer and compiled graph, reused across turns."""

    def __init__(self, settings: Settings, engine: Engine, checkpointer: Any) -> None:
        self.settings = settings
        self.sessions: sessionmaker[Session] = make_session_factory(engine)
        self.graph = build_graph(checkpointer)
        self.tools = [tool.langchain_tool for tool in TOOLS.values()]
        # Lazy: chromadb and the embedding model load on the first search, never for turns that do not search.
        self.timeline_search = TimelineSearcher(settings) if settings.semantic_search else None
        # Turns of one thread run one at a time (a double-submit must not fork the checkpoint); striped locks
        # keep memory bounded however many threads there are.
        self._thread_locks = [threading.Lock() for _ in range(THREAD_LOCK_STRIPES)]

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
        on_event: EventSink | None = None,
    ) -> Reply:
        """Answer one message in a thread. Writes wait for "yes" (or auto_confirm); nothing is written before.

        `on_event` receives tool steps and answer text while the turn runs (see stream_turn)."""
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
        config = self._config(actor, thread_id)
        key = config["configurable"]["thread_id"]
        with self._thread_locks[hash(key) % THREAD_LOCK_STRIPES], session_scope(self.sessions) as session:
            vocabulary = build_vocabulary(session, actor)
            chat_model = make_chat_model(
                settings=self.settings, tools=self.tools, vocabulary=vocabulary, actor=actor, as_of=as_of
            )
            context = RunContext(
                actor,
                session,
                as_of,
                now,
                channel,
                message_id or uuid.uuid4().hex,
                chat_model,
                timeline_search=self.timeline_search,
            )
            run = _Run(config, context, on_event)
            # The thread's state is read once before and once after the graph runs (and after each confirmation):
            # reading it decodes every message of the thread, so it is not read again to ask what is pending.
            state = self.graph.get_state(config)
            history, pending = state.values.get("messages", []), _pending_in(state)
            seen = next((i for i, m in enumerate(history) if message_id and m.id == message_id), None)
            if seen is not None:  # a retried delivery of a message already handled: answer it again, run nothing
                return self._reply(thread_id, as_of, history[seen + 1 :], pending, [ALREADY_HANDLED])
            if message_id and self._is_retried_reply(session, config, message_id, now, pending):
                return self._reply(thread_id, as_of, [], pending, [ALREADY_HANDLED])
            notes = self._advance(run, text, edit, pending)
            state = self.graph.get_state(config)
            while auto_confirm and _pending_in(state) is not None:
                self._resume(run, ConfirmationResponse(decision="accept"))
                state = self.graph.get_state(config)
            reply = self._reply(
                thread_id, as_of, state.values.get("messages", [])[len(history) :], _pending_in(state), notes
            )
        wrote = any(call.status == "ok" and call.name in WRITE_TOOLS for call in reply.tool_calls)
        if wrote and self.timeline_search is not None:
            # Committed: index what the turn wrote so the next search finds it (never raises; verify shows drift).
            after_commit(self.settings, self.sessions, actor.workspace_id, since=now)
        return reply

    def _is_retried_reply(
        self,
        session: Session,
        config: RunnableConfig,
        message_id: str,
        now: dt.datetime,
        pending: ConfirmationRequest | None,
    ) -> bool:
        """A reply that resumes a pending write is not stored as a message, so its id is claimed instead: the
        claim commits with the turn, and a retried delivery of the same reply finds it and runs nothing."""
        key = f"{config['configurable']['thread_id']}:{message_id}"
        if pending is None:
            return is_claimed(session, channel=REPLY_CLAIMS, external_id=key)
        return not claim_in_session(session, channel=REPLY_CLAIMS, external_id=key, now=now)

    def stream_turn(
        self, actor: Actor, text: str, thread_id: str, channel: str, **options: Any
    ) -> Iterator[TurnEvent | Reply]:
        """run_turn, yielding TurnEvents as they happen and the Reply last. The turn runs in its own thread."""
        items: queue.Queue[TurnEvent | Reply | BaseException] = queue.Queue()

        def work() -> None:
            try:
                items.put(self.run_turn(actor, text, thread_id, channel, on_event=items.put, **options))
            except BaseException as problem:  # handed to the consumer, which re-raises it
                items.put(problem)

        threading.Thread(target=work, name=f"turn-{thread_id}", daemon=True).start()
        while True:
            item = items.get()
            if isinstance(item, BaseException):
                raise item
            yield item
            if isinstance(item, Reply):
                return

    def thread_history(
        self, actor: Actor, thread_id: str, *, now: dt.datetime | None = None
    ) -> list[tuple[str, Reply]]:
        """The thread so far as (question, reply) pairs, for a channel reloading a conversation."""
        as_of = (now or dt.datetime.now(dt.UTC)).date()
        config = self._config(actor, thread_id)
        messages: list[BaseMessage] = self.graph.get_state(config).values.get("messages", [])
        starts = [i for i, message in enumerate(messages) if isinstance(message, HumanMessage)]
        pending = self.pending(config)
        turns = []
        for number, start in enumerate(starts):
            end = starts[number + 1] if number + 1 < len(starts) else len(messages)
            last = number == len(starts) - 1
            reply = self._reply(thread_id, as_of, messages[start + 1 : end], pending if last else None, [])
            turns.append((str(messages[start].text), reply))
        return turns

    def _config(self, actor: Actor, thread_id: str) -> RunnableConfig:
        return {
            "configurable": {"thread_id": f"{actor.workspace_id}:{actor.user_id}:{thread_id}"},
            "recursion_limit": 40,
        }

    def _reply(
        self,
        thread_id: str,
        as_of: dt.date,
        messages: list[BaseMessage],
        pending: ConfirmationRequest | None,
        notes: list[str],
    ) -> Reply:
        reply = build_reply(
            thread_id=thread_id, model=self.settings.model, as_of=as_of, messages=messages, pending=pending, notes=notes
        )
        reply.attachments = attachments_for(reply.tool_calls)
        return reply

    def pending(self, config: RunnableConfig) -> ConfirmationRequest | None:
        """The write waiting for confirmation in this thread, if any."""
        return _pending_in(self.graph.get_state(config))

    def _advance(
        self, run: _Run, text: str, edit: dict[str, Any] | None, pending: ConfirmationRequest | None
    ) -> list[str]:
        if pending is None:
            self._ask(run, text)
            return []
        decision = "edit" if edit else classify_reply(text)
        if decision is not None:
            self._resume(run, ConfirmationResponse(decision=decision, args=edit))
            return []
        changes = extract_edit(pending.tool, pending.args, text, run.context.as_of)
        if changes:
            self._resume(run, ConfirmationResponse(decision="edit", args=changes))
            return []
        self._resume(run, ConfirmationResponse(decision="cancel"))
        self._ask(run, text)
        return [f"The pending {pending.tool.replace('_', ' ')} was cancelled because you asked something else."]

    def _ask(self, run: _Run, text: str) -> None:
        message = HumanMessage(content=text, id=run.context.message_id)
        self._invoke(run, {"messages": [message], "steps": 0})

    def _resume(self, run: _Run, response: ConfirmationResponse) -> None:
        self._invoke(run, Command(resume=response.model_dump()))

    def _invoke(self, run: _Run, graph_input: Any) -> None:
        # durability="exit": the checkpoint is written once, when the graph stops (its answer, an interrupt before a
        # write, or an error), instead of after every step on a background thread; a turn is short and is
        # re-asked whole if the process dies in it, so the steps in between are not worth a write each.
        if run.on_event is None:
            self.graph.invoke(graph_input, run.config, context=run.context, durability="exit")
            return
        stream = self.graph.stream(
            graph_input, run.config, context=run.context, stream_mode=STREAM_MODES, durability="exit"
        )
        for mode, payload in stream:
            for event in turn_events(mode, payload):
                run.on_event(event)


def _pending_in(state: StateSnapshot) -> ConfirmationRequest | None:
    """The write waiting for confirmation in a thread's state, if any."""
    for interrupt in state.interrupts:
        return ConfirmationRequest.model_validate(interrupt.value)
    return None


class _Run(NamedTuple):
    """What one turn's graph calls share: the thread's config, the run context, and who hears the steps."""

    config: RunnableConfig
    context: RunContext
    on_event: EventSink | None


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
