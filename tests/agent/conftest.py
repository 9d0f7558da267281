"""Agent fixtures: the demo tenant generated once per session, copied fresh for every test that writes."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from agent.reply import Reply
from agent.runner import Agent, open_agent
from domain.access import Actor, actor_for_email
from domain.db import make_engine, make_session_factory
from domain.settings import Settings
from tests.demo_fixture import DEMO_AS_OF, NOW

__all__ = ["DEMO_AS_OF", "NOW"]


@pytest.fixture
def demo_settings(demo_template: Path, tmp_path: Path) -> Settings:
    """Settings pointing at a private copy of the demo database (and its own conversation store)."""
    copy = tmp_path / "demo.db"
    shutil.copyfile(demo_template, copy)
    return Settings(database_url=f"sqlite:///{copy}", model="offline", semantic_search=False)


@pytest.fixture
def demo_engine(demo_settings: Settings) -> Iterator[Engine]:
    engine = make_engine(demo_settings.database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def agent(demo_settings: Settings, demo_engine: Engine) -> Iterator[Agent]:
    with open_agent(demo_settings, demo_engine) as running:
        yield running


@pytest.fixture
def db(demo_engine: Engine) -> Iterator[Session]:
    """A session on the test's demo copy, for checking what the agent wrote."""
    session = make_session_factory(demo_engine)()
    yield session
    session.close()


@pytest.fixture
def actor(db: Session) -> Callable[[str], Actor]:
    def load(email: str) -> Actor:
        return actor_for_email(db, email)

    return load


@pytest.fixture
def ask(agent: Agent, actor: Callable[[str], Actor]) -> Callable[..., Reply]:
    """ask(text, as_="jane@demo.csagent.dev", thread="t1", yes=False) -> Reply, at the fixed demo time."""

    def run(
        text: str, as_: str = "jane@demo.csagent.dev", thread: str = "t1", yes: bool = False, **kw: object
    ) -> Reply:
        return agent.run_turn(actor(as_), text, thread, "test", auto_confirm=yes, now=NOW, **kw)  # type: ignore[arg-type]

    return run
