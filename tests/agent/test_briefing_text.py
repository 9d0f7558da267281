"""A language model may rephrase the briefing, but only with the briefing's own numbers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from agent.briefing import Briefing, build_briefing, render_briefing
from agent.briefing.text import deterministic_text
from domain.access import actor_for_email
from domain.settings import Settings
from tests.agent.briefing_fixtures import JANE, fresh_db
from tests.agent.scripted_openai import ScriptedOpenAI, error, text
from tests.demo_fixture import NOW

__all__ = ["fresh_db"]


@pytest.fixture
def server() -> Iterator[ScriptedOpenAI]:
    with ScriptedOpenAI() as running:
        yield running


@pytest.fixture
def briefing(fresh_db: Session) -> Briefing:
    return build_briefing(db_session=fresh_db, actor=actor_for_email(fresh_db, JANE), now=NOW)


def llm(server: ScriptedOpenAI) -> Settings:
    return Settings(
        database_url="sqlite://", model="openai:gpt-4o-mini", openai_base_url=server.base_url,
        openai_api_key="test", openai_max_retries=0,
    )  # fmt: skip


def test_a_grounded_rephrasing_is_used(server: ScriptedOpenAI, briefing: Briefing) -> None:
    acme = next(item for item in briefing.items if item.client_name == "Acme Corp")
    days = acme.headline.split("inactive for ")[1].split(" days")[0]
    server.queue(text(f"Start with **Acme Corp**: Sarah Chen has been quiet for {days} days. Call her today."))
    result = render_briefing(briefing, llm(server))
    assert result.model == "openai:gpt-4o-mini"
    assert result.markdown.startswith("Start with **Acme Corp**")
    assert result.notes == []
    sent = server.requests[0].body["messages"]
    assert sent[0]["role"] == "system"
    assert "Keep every number" in sent[0]["content"]
    assert sent[1]["content"] == deterministic_text(briefing)


def test_an_invented_number_sends_the_deterministic_text(server: ScriptedOpenAI, briefing: Briefing) -> None:
    server.queue(text("Acme Corp's health collapsed by 37.5 points overnight; call them."))
    result = render_briefing(briefing, llm(server))
    assert result.model == "offline"
    assert result.markdown == deterministic_text(briefing)
    assert "37.5" in result.notes[0]


def test_a_provider_failure_sends_the_deterministic_text(server: ScriptedOpenAI, briefing: Briefing) -> None:
    server.queue(error(500))
    result = render_briefing(briefing, llm(server))
    assert (result.model, result.markdown) == ("offline", deterministic_text(briefing))
    assert "unavailable" in result.notes[0]


def test_offline_needs_no_model(briefing: Briefing) -> None:
    result = render_briefing(briefing, Settings(database_url="sqlite://", model="offline"))
    assert (result.model, result.notes) == ("offline", [])
