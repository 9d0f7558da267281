"""Agent.stream_turn and run_turn(on_event=...): the events a channel streams, and concurrent turns."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from agent.attachments import attachments_for, focus_client_ids
from agent.reply import Reply, ToolCallRecord
from agent.runner import Agent, open_agent
from agent.streaming import TurnEvent
from domain.access import Actor, actor_for_email
from domain.db import make_session_factory, session_scope
from tests.channels.web.chat.conftest import web_settings
from tests.demo_fixture import NOW


@pytest.fixture
def agent(demo_engine: Engine, tmp_path: Path) -> Iterator[Agent]:
    with open_agent(web_settings(demo_engine, tmp_path), demo_engine) as running:
        yield running


def _actor(engine: Engine, email: str) -> Actor:
    with session_scope(make_session_factory(engine)) as session:
        return actor_for_email(session, email)


def test_stream_turn_yields_steps_text_then_the_reply(agent: Agent, demo_engine: Engine) -> None:
    jane = _actor(demo_engine, "jane@demo.csagent.dev")
    items = list(agent.stream_turn(jane, "which of my clients are at risk?", "s1", "test", now=NOW))
    events = [item for item in items if isinstance(item, TurnEvent)]
    assert isinstance(items[-1], Reply)
    assert all(isinstance(item, TurnEvent) for item in items[:-1])
    assert [e.kind for e in events][:2] == ["tool_started", "tool_finished"]
    assert events[0].data["name"] == "list_at_risk_clients"
    assert events[1].data["status"] == "ok"
    streamed = "".join(e.data["text"] for e in events if e.kind == "answer_delta")
    assert streamed == items[-1].answer


def test_streaming_and_plain_turns_give_the_same_reply(agent: Agent, demo_engine: Engine) -> None:
    jane = _actor(demo_engine, "jane@demo.csagent.dev")
    heard: list[TurnEvent] = []
    streamed = agent.run_turn(jane, "why is Acme Corp dropping?", "a", "test", now=NOW, on_event=heard.append)
    plain = agent.run_turn(jane, "why is Acme Corp dropping?", "b", "test", now=NOW)
    assert heard
    assert streamed.answer == plain.answer
    assert [c.name for c in streamed.tool_calls] == [c.name for c in plain.tool_calls] == ["explain_score_drivers"]


def test_a_confirmed_write_streams_its_finished_step(agent: Agent, demo_engine: Engine) -> None:
    jane = _actor(demo_engine, "jane@demo.csagent.dev")
    pending = list(agent.stream_turn(jane, "log a call with Acme Corp", "w", "test", now=NOW))
    assert [e.kind for e in pending if isinstance(e, TurnEvent)] == ["tool_started"]
    reply = pending[-1]
    assert isinstance(reply, Reply)
    assert reply.pending_confirmation is not None
    confirmed = list(agent.stream_turn(jane, "yes", "w", "test", now=NOW))
    finished = [e for e in confirmed if isinstance(e, TurnEvent) and e.kind == "tool_finished"]
    assert finished
    assert finished[0].data == {"id": finished[0].data["id"], "name": "log_activity", "status": "ok"}


def test_thread_history_replays_questions_and_replies(agent: Agent, demo_engine: Engine) -> None:
    jane = _actor(demo_engine, "jane@demo.csagent.dev")
    agent.run_turn(jane, "who is at risk?", "h", "test", now=NOW)
    agent.run_turn(jane, "log a call with Acme Corp", "h", "test", now=NOW)
    history = agent.thread_history(jane, "h", now=NOW)
    assert [question for question, _ in history] == ["who is at risk?", "log a call with Acme Corp"]
    assert history[0][1].attachments[0].kind == "table"
    assert history[1][1].pending_confirmation is not None
    john = _actor(demo_engine, "john@demo.csagent.dev")
    assert agent.thread_history(john, "h", now=NOW) == []  # threads are per user


def test_concurrent_turns_all_answer(agent: Agent, demo_engine: Engine) -> None:
    actors = [_actor(demo_engine, f"{name}@demo.csagent.dev") for name in ("jane", "john", "priya", "marcus")]
    replies: list[Reply] = []
    failures: list[BaseException] = []

    def talk(actor: Actor, number: int) -> None:
        try:
            for question in ("who is at risk?", "show my alerts"):
                replies.append(agent.run_turn(actor, question, f"c{number % 2}", "test", now=NOW))
        except BaseException as problem:
            failures.append(problem)

    threads = [threading.Thread(target=talk, args=(actor, n)) for n, actor in enumerate(actors * 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures
    assert len(replies) == 16
    assert all(reply.tool_calls and reply.tool_calls[0].status == "ok" for reply in replies)


def test_attachments_come_only_from_successful_list_and_draft_results() -> None:
    listing = {
        "source_ids": {"client": [1, 2]},
        "alerts": [{"id": 3, "client_id": 1, "client_name": "A", "title": "t"}],
    }
    draft = {"source_ids": {"client": [1]}, "to_name": "Sam", "subject": "Hi", "body": "Body"}
    calls = [
        ToolCallRecord(name="list_alerts", args={}, status="ok", result=listing),
        ToolCallRecord(name="draft_outreach", args={}, status="ok", result=draft),
        ToolCallRecord(name="list_alerts", args={}, status="error", error="boom"),
        ToolCallRecord(name="explain_score_drivers", args={}, status="ok", result={"source_ids": {"client": [7]}}),
    ]
    built = attachments_for(calls)
    assert [a.kind for a in built] == ["table", "draft"]
    assert built[0].data["rows"] == [
        {"id": 3, "client_name": "A", "severity": None, "status": None, "title": "t", "recommended_action": None,
         "_link": 1}
    ]  # fmt: skip
    assert built[1].data["text"] == "Subject: Hi\n\nBody"
    assert focus_client_ids(calls) == [1, 7]  # lists are not "about" one client, even with one row
