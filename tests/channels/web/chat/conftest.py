"""Web chat fixtures: the app over a private copy of the demo tenant (demo sign-in on, clock pinned), SSE parsing."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from channels.web.api_deps import current_now
from channels.web.app import create_app
from domain.db import make_engine, make_session_factory
from domain.settings import Settings
from tests.demo_fixture import NOW

Events = list[tuple[str, dict[str, Any]]]
JANE = "jane@demo.csagent.dev"


@pytest.fixture
def demo_engine(demo_template: Path, tmp_path: Path) -> Iterator[Engine]:
    copy = tmp_path / "demo.db"
    shutil.copyfile(demo_template, copy)
    engine = make_engine(f"sqlite:///{copy}")
    yield engine
    engine.dispose()


def web_settings(engine: Engine, tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": str(engine.url),
        "model": "offline",
        "chroma_path": tmp_path / "chroma",
        "semantic_search": False,
        "demo_sign_in": True,
    }
    return Settings(**(values | overrides))


@pytest.fixture
def web(demo_engine: Engine, tmp_path: Path) -> Iterator[TestClient]:
    """A browser-like client with no session yet; the app's clock reads the demo's NOW."""
    app = create_app(web_settings(demo_engine, tmp_path), engine=demo_engine)
    app.dependency_overrides[current_now] = lambda: NOW
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client


@pytest.fixture
def db(demo_engine: Engine) -> Iterator[Session]:
    session = make_session_factory(demo_engine)()
    yield session
    session.close()


@pytest.fixture
def sign_in(web: TestClient) -> Callable[[str], TestClient]:
    def run(email: str = JANE) -> TestClient:
        response = web.post("/session/demo", json={"email": email})
        assert response.status_code == 200, response.text
        return web

    return run


def parse_sse(text: str) -> Events:
    events: Events = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line for line in block.split("\n") if line and not line.startswith(":")]
        name = next((line[6:].strip() for line in lines if line.startswith("event:")), "message")
        data = "\n".join(line[5:].lstrip() for line in lines if line.startswith("data:"))
        if data:
            events.append((name, json.loads(data)))
    return events


@pytest.fixture
def chat(web: TestClient) -> Callable[..., Events]:
    """chat(text, thread_id=None, **body) -> the turn's SSE events, in order."""

    def send(text: str = "", thread_id: str | None = None, **body: Any) -> Events:
        with web.stream("POST", "/chat/messages", json={"text": text, "thread_id": thread_id, **body}) as response:
            assert response.status_code == 200, response.read()
            return parse_sse(response.read().decode())

    return send


def final(events: Events) -> dict[str, Any]:
    """The turn's reply payload; fails on an error event."""
    names = [name for name, _ in events]
    assert "error" not in names, events
    assert names[-1] == "reply", names
    return events[-1][1]
