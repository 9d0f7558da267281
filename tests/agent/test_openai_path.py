"""The OpenAI-compatible path, end to end, against a scripted chat server on 127.0.0.1 (no real LLM, no network):
the real graph, tools and demo database, with `CSAGENT_MODEL=openai:gpt-4o-mini`."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
import vcr  # type: ignore[import-untyped]
from langchain_core.messages import AIMessageChunk
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

import prompts
from agent.models.openai import make_openai_model
from agent.reply import Reply
from agent.runner import open_agent
from domain.access import Actor
from domain.activities.models import Activity
from domain.settings import Settings
from tests.agent.scripted_openai import (
    Request,
    ScriptedOpenAI,
    Step,
    dynamic,
    error,
    hang,
    rate_limited,
    text,
    tool_call,
)
from tests.demo_fixture import DEMO_AS_OF, NOW
from tools import TOOLS

MODEL = "openai:gpt-4o-mini"
JANE = "jane@demo.csagent.dev"
CASSETTES = Path(__file__).resolve().parents[2] / "evals" / "cassettes"
CASSETTE = CASSETTES / "openai_explain_drivers.yaml"
SECRET_HEADERS = ["authorization", "api-key", "openai-organization", "openai-project"]

Ask = Callable[..., Reply]


@pytest.fixture
def server() -> Iterator[ScriptedOpenAI]:
    with ScriptedOpenAI() as running:
        yield running


@pytest.fixture
def llm_settings(demo_settings: Settings, server: ScriptedOpenAI) -> Settings:
    """The demo copy, talking to the scripted server; short timeout, quick retries."""
    return demo_settings.model_copy(
        update={
            "model": MODEL,
            "openai_base_url": server.base_url,
            "openai_api_key": "test",
            "openai_timeout": 5.0,
            "openai_max_retries": 2,
        }
    )


@pytest.fixture
def make_ask(
    llm_settings: Settings, demo_engine: Engine, actor: Callable[[str], Actor]
) -> Iterator[Callable[..., Ask]]:
    """make_ask(**settings_overrides) -> ask(text, as_=JANE, thread="t1", yes=False) -> Reply."""
    with ExitStack() as stack:

        def make(**overrides: Any) -> Ask:
            agent = stack.enter_context(open_agent(llm_settings.model_copy(update=overrides), demo_engine))

            def ask(text: str, as_: str = JANE, thread: str = "t1", yes: bool = False) -> Reply:
                return agent.run_turn(actor(as_), text, thread, "test", auto_confirm=yes, now=NOW)

            return ask

        yield make


@pytest.fixture
def ask(make_ask: Callable[..., Ask]) -> Ask:
    return make_ask()


def quote_score(request: Request) -> Step:
    """The model's final answer, written from the tool result the agent sent back (as a grounded model would)."""
    score = request.tool_results[-1]["content"]["score"]
    return text(
        f"**{score['client_name']}** health is {score['overall']:.1f} ({score['status']}) as of {score['day']}."
    )


# (a) tool call -> tool executed on the demo DB -> final answer from the model


def test_tool_call_runs_against_the_demo_and_the_model_writes_the_answer(ask: Ask, server: ScriptedOpenAI) -> None:
    server.queue(tool_call("explain_score_drivers", {"client": "Acme Corp"}), dynamic(quote_score))

    reply = ask("why is acme dropping?")

    assert reply.model == MODEL
    assert [(call.name, call.status) for call in reply.tool_calls] == [("explain_score_drivers", "ok")]
    result = reply.tool_calls[0].result
    assert result is not None
    assert result["score"]["client_name"] == "Acme Corp"
    assert reply.answer.startswith("**Acme Corp** health is " + f"{result['score']['overall']:.1f}")
    assert reply.notes == []  # no fallback, no "offline" note, every number grounded
    assert server.remaining == 0
    assert len(server.requests) == 2


def test_the_model_is_sent_the_system_prompt_the_tool_schemas_and_the_tool_results(
    ask: Ask, server: ScriptedOpenAI, actor: Callable[[str], Actor]
) -> None:
    server.queue(tool_call("explain_score_drivers", {"client": "Acme Corp"}, call_id="call_acme"), dynamic(quote_score))

    reply = ask("why is acme dropping?")

    first, second = server.requests
    assert first.path == "/v1/chat/completions"
    assert first.headers["authorization"] == "Bearer test"
    assert first.body["model"] == "gpt-4o-mini"
    assert not first.body.get("stream")
    system = prompts.render("system.md", actor=actor(JANE), as_of=DEMO_AS_OF.isoformat())
    assert first.messages[0] == {"role": "system", "content": system}
    assert "Jane Doe" in system
    assert first.messages[1] == {"role": "user", "content": "why is acme dropping?"}
    assert sorted(first.tool_names) == sorted(TOOLS)
    assert len(first.tool_names) == 25
    for name in first.tool_names:  # the injected context is server-side only: never offered to the model
        parameters = first.tool(name)["parameters"]
        assert "context" not in parameters.get("properties", {}), name
        assert "context" not in parameters.get("required", []), name
    assert first.tool("explain_score_drivers")["parameters"]["required"] == ["client"]

    assert [message["role"] for message in second.messages] == ["system", "user", "assistant", "tool"]
    assert second.messages[2]["tool_calls"][0]["id"] == "call_acme"
    (tool_message,) = second.tool_results
    assert tool_message["tool_call_id"] == "call_acme"
    assert tool_message["content"] == reply.tool_calls[0].result


# (b) a write pauses for confirmation exactly as with the offline planner


def test_a_write_tool_call_waits_for_yes_and_writes_once(ask: Ask, server: ScriptedOpenAI, db: Session) -> None:
    subject = "Check-in call with Sarah Chen"
    args = {"client": "Acme Corp", "activity_type": "CALL", "subject": subject, "duration_minutes": 30}
    server.queue(tool_call("log_activity", args))

    def count() -> int:
        db.expire_all()
        return int(db.scalar(select(func.count()).select_from(Activity).where(Activity.subject == subject)) or 0)

    pending = ask("log a 30 minute call with sarah at acme")

    assert pending.pending_confirmation is not None
    assert pending.pending_confirmation.tool == "log_activity"
    assert pending.pending_confirmation.args == args
    assert [(call.name, call.status) for call in pending.tool_calls] == [("log_activity", "pending_confirmation")]
    assert "Reply **yes** to confirm" in pending.answer
    assert count() == 0
    assert len(server.requests) == 1

    server.queue(
        dynamic(lambda request: text(f"Logged activity #{request.tool_results[-1]['content']['activity']['id']}."))
    )
    done = ask("yes")

    assert done.pending_confirmation is None
    assert [(call.name, call.status) for call in done.tool_calls] == [("log_activity", "ok")]
    activity = done.tool_calls[0].result
    assert activity is not None
    assert done.answer == f"Logged activity #{activity['activity']['id']}."
    assert done.notes == []
    assert count() == 1
    assert len(server.requests) == 2
    assert [message["role"] for message in server.requests[1].messages][-2:] == ["assistant", "tool"]


def test_a_cancelled_write_writes_nothing(ask: Ask, server: ScriptedOpenAI, db: Session) -> None:
    args = {"client": "Acme Corp", "subject": "Never logged", "activity_type": "EMAIL"}
    server.queue(tool_call("log_activity", args), text("OK, I did not log it."))

    assert ask("log an email to acme").pending_confirmation is not None
    reply = ask("no")

    assert [(call.name, call.status) for call in reply.tool_calls] == [("log_activity", "cancelled")]
    assert reply.answer == "OK, I did not log it."
    assert db.scalar(select(func.count()).select_from(Activity).where(Activity.subject == "Never logged")) == 0


# (c) rate limits are retried with backoff, then the turn succeeds


def test_rate_limits_are_retried_with_backoff_then_succeed(ask: Ask, server: ScriptedOpenAI) -> None:
    server.queue(
        rate_limited(retry_after_ms=None),  # no hint: the client's own exponential backoff (0.375-0.5 s)
        rate_limited(retry_after_ms=20),  # the server's hint is honoured
        tool_call("explain_score_drivers", {"client": "Acme Corp"}),
        dynamic(quote_score),
    )

    started = time.monotonic()
    reply = ask("why is acme dropping?")
    elapsed = time.monotonic() - started

    assert len(server.requests) == 4
    assert server.requests[0].body == server.requests[2].body  # the same request, retried
    assert reply.notes == []
    assert [(call.name, call.status) for call in reply.tool_calls] == [("explain_score_drivers", "ok")]
    assert "Acme Corp" in reply.answer
    assert elapsed >= 0.3  # the first retry waited for the backoff


# (d) provider failure -> the offline planner answers, with a visible note


def test_server_errors_fall_back_to_the_offline_planner_with_a_note(
    make_ask: Callable[..., Ask], server: ScriptedOpenAI
) -> None:
    ask = make_ask(openai_max_retries=1)
    fast = {"retry-after-ms": "10"}
    server.queue(error(500, headers=fast), error(503, headers=fast))

    reply = ask("why is acme dropping?")

    assert len(server.requests) == 2  # one try, one retry, then offline for the rest of the turn
    assert reply.model == MODEL
    assert [(call.name, call.status) for call in reply.tool_calls] == [("explain_score_drivers", "ok")]
    assert "Acme Corp" in reply.answer
    assert reply.notes == ["The language model was unavailable (HTTP 503); this answer comes from the offline planner."]


def test_a_hung_provider_times_out_and_falls_back(make_ask: Callable[..., Ask], server: ScriptedOpenAI) -> None:
    ask = make_ask(openai_timeout=0.3, openai_max_retries=0)
    server.queue(hang(10.0))  # answers long after the client's 0.3 s timeout

    started = time.monotonic()
    reply = ask("who is at risk?")

    assert time.monotonic() - started < 8  # the turn did not wait for the hung server
    assert len(server.requests) == 1
    assert [call.name for call in reply.tool_calls] == ["list_at_risk_clients"]
    assert reply.answer
    assert reply.notes[0].startswith("The language model was unavailable (timed out)")


def test_a_failure_after_a_tool_call_is_answered_offline_from_the_tool_result(
    make_ask: Callable[..., Ask], server: ScriptedOpenAI
) -> None:
    ask = make_ask(openai_max_retries=0)
    server.queue(tool_call("explain_score_drivers", {"client": "Acme Corp"}), error(500))

    reply = ask("why is acme dropping?")

    result = reply.tool_calls[0].result
    assert result is not None
    assert f"{result['score']['overall']:.1f}" in reply.answer  # the offline template, from the model's tool call
    assert reply.notes == ["The language model was unavailable (HTTP 500); this answer comes from the offline planner."]


def test_persistent_rate_limits_fall_back_too(make_ask: Callable[..., Ask], server: ScriptedOpenAI) -> None:
    ask = make_ask(openai_max_retries=1)
    server.queue(rate_limited(10), rate_limited(10))

    reply = ask("how's my portfolio?")

    assert [call.name for call in reply.tool_calls] == ["portfolio_summary"]
    assert reply.notes == [
        "The language model was unavailable (rate limited (HTTP 429)); this answer comes from the offline planner."
    ]


def test_an_unreachable_provider_falls_back(make_ask: Callable[..., Ask], server: ScriptedOpenAI) -> None:
    port = server.port
    server.stop()  # nothing listens on the port any more
    ask = make_ask(openai_base_url=f"http://127.0.0.1:{port}/v1", openai_max_retries=0)

    reply = ask("why is acme dropping?")

    assert [call.name for call in reply.tool_calls] == ["explain_score_drivers"]
    assert reply.notes == [
        "The language model was unavailable (could not connect); this answer comes from the offline planner."
    ]


# (e) groundedness: numbers no tool result supports are flagged


def test_a_number_in_no_tool_result_is_flagged(ask: Ask, server: ScriptedOpenAI) -> None:
    def invented(request: Request) -> Step:
        score = request.tool_results[-1]["content"]["score"]
        return text(f"Acme Corp is at {score['overall']:.1f} today and will recover to 73.4 by next month.")

    server.queue(tool_call("explain_score_drivers", {"client": "Acme Corp"}), dynamic(invented))

    reply = ask("why is acme dropping?")

    assert reply.notes == ["unverified numbers: 73.4 (not found in this turn's tool results)"]


def test_an_answer_without_tools_cannot_state_figures_unflagged(ask: Ask, server: ScriptedOpenAI) -> None:
    server.queue(text("You have 12 clients and $1.2M of ARR at risk."))

    reply = ask("how is my book doing, I have 3 new clients?")

    assert reply.tool_calls == []
    assert reply.notes == ["unverified numbers: 12, $1.2M (not found in this turn's tool results)"]


def test_numbers_from_the_question_are_allowed(ask: Ask, server: ScriptedOpenAI) -> None:
    server.queue(text("I can look at drops of more than 15 points over 30 days; shall I?"))

    reply = ask("who dropped more than 15 points in 30 days?")

    assert reply.notes == []


# the cassette path: one interaction recorded with vcrpy, replayed offline


def _cassette_vcr(record_mode: str) -> vcr.VCR:
    return vcr.VCR(
        record_mode=record_mode,
        filter_headers=SECRET_HEADERS,
        match_on=["method", "scheme", "host", "path"],  # not the port: the scripted server's port is ephemeral
        decode_compressed_response=True,
    )


def test_recording_a_cassette_against_the_scripted_server_keeps_no_secret(
    make_ask: Callable[..., Ask], server: ScriptedOpenAI, tmp_path: Path
) -> None:
    """record_mode "once": records when the cassette file is missing. The committed cassette is re-recorded by
    deleting evals/cassettes/openai_explain_drivers.yaml and running this test."""
    target = tmp_path / "cassette.yaml" if CASSETTE.exists() else CASSETTE
    ask = make_ask(openai_api_key="sk-test-secret-key")
    server.queue(tool_call("explain_score_drivers", {"client": "Acme Corp"}, call_id="call_recorded"))
    server.queue(dynamic(quote_score))

    with _cassette_vcr("once").use_cassette(str(target)) as cassette:
        reply = ask("why is acme dropping?")

    assert cassette.play_count == 0
    assert len(cassette.data) == 2
    assert reply.notes == []
    recorded = target.read_text()
    assert "sk-test-secret-key" not in recorded
    assert "Bearer" not in recorded
    assert "/v1/chat/completions" in recorded


def test_the_committed_cassette_replays_offline_without_the_server(
    llm_settings: Settings, demo_engine: Engine, actor: Callable[[str], Actor]
) -> None:
    assert CASSETTE.exists(), "record it: run test_recording_a_cassette_against_the_scripted_server_keeps_no_secret"
    assert "Bearer" not in CASSETTE.read_text()
    settings = llm_settings.model_copy(  # port 9 (discard): nothing answers there; only the cassette can
        update={"openai_base_url": "http://127.0.0.1:9/v1", "openai_api_key": "replay", "openai_max_retries": 0}
    )

    with open_agent(settings, demo_engine) as agent, _cassette_vcr("none").use_cassette(str(CASSETTE)) as cassette:
        reply = agent.run_turn(actor(JANE), "why is acme dropping?", "replay", "test", now=NOW)

    assert cassette.all_played
    assert reply.notes == []  # no fallback: both model calls were answered from the cassette
    assert [(call.name, call.status) for call in reply.tool_calls] == [("explain_score_drivers", "ok")]
    result = reply.tool_calls[0].result
    assert result is not None
    assert reply.answer.startswith(f"**Acme Corp** health is {result['score']['overall']:.1f}"), (
        "the demo data changed since the cassette was recorded: delete it and re-run the recording test"
    )


def test_the_scripted_server_also_streams(llm_settings: Settings, server: ScriptedOpenAI) -> None:
    """A caller that streams (LangGraph's "messages" mode) gets server-sent events with the same answers."""
    model = make_openai_model(llm_settings).model_copy(update={"streaming": True})
    bound = model.bind_tools([tool.langchain_tool for tool in TOOLS.values()])
    server.queue(tool_call("explain_score_drivers", {"client": "Acme Corp"}, call_id="call_s"), text("Done."))

    call: AIMessageChunk | None = None
    for chunk in bound.stream("why is acme dropping?"):
        assert isinstance(chunk, AIMessageChunk)
        call = chunk if call is None else call + chunk
    answer = "".join(str(chunk.content) for chunk in bound.stream("and now?"))

    assert all(request.body["stream"] is True for request in server.requests)
    assert call is not None
    assert call.tool_calls == [
        {"name": "explain_score_drivers", "args": {"client": "Acme Corp"}, "id": "call_s", "type": "tool_call"}
    ]
    assert answer == "Done."
