"""The running app under test: the demo tenant, a Slack stand-in, and the FastAPI app served by uvicorn."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session, sessionmaker

from channels.slack.http import mount_slack
from channels.web.app import create_app
from domain.db import make_engine, make_session_factory, session_scope
from domain.settings import Settings
from domain.staff.models import User
from tests.channels.slack.payloads import SECRET
from tests.channels.slack.standin import BOT_USER_ID, SlackStandIn, running_standin
from tests.demo_fixture import NOW

DOMAIN = "demo.csagent.dev"
# The demo stores Slack ids for its staff (U0DEMO01 the VP, U0DEMO05 Priya); Jane's is cleared in `world`
# so that she is found by email, the way a new user is.
PRIYA, VP = "U0DEMO05", "U0DEMO01"
SLACK_USERS = {"jane": "UJANE"}


@dataclass
class SlackWorld:
    url: str
    slack: SlackStandIn
    engine: Engine
    sessions: sessionmaker[Session]
    settings: Settings


def demo_settings(tmp_path: Path, demo_template: Path, **slack: str) -> Settings:
    """Settings over a fresh copy of the demo tenant, plus any Slack fields given."""
    database = tmp_path / "demo.db"
    shutil.copy(demo_template, database)
    settings = Settings(database_url=f"sqlite:///{database}", chroma_path=tmp_path / "chroma")
    unset = {"slack_bot_token": None, "slack_signing_secret": None, "slack_app_token": None, "slack_api_url": None}
    return settings.model_copy(update=unset | slack)  # never the environment's own Slack tokens


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    channels = {
        "CJANE": ["UJANE", BOT_USER_ID],  # Jane alone with the bot
        "CSHARED": ["UJANE", PRIYA, BOT_USER_ID],  # two CSMs with different portfolios
        "CLEADS": ["UJANE", VP, BOT_USER_ID],  # Jane and the VP, who sees the whole tenant
        "CGUEST": ["UJANE", "UGUEST", BOT_USER_ID],  # someone who is no csagent user
    }
    users = {f"{name}@{DOMAIN}": member for name, member in SLACK_USERS.items()}
    with running_standin(SlackStandIn(users=users, members=channels)) as running:
        yield running


@contextmanager
def serve(app: object) -> Iterator[str]:
    """Run an ASGI app with uvicorn on a loopback port until the test ends."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))  # type: ignore[arg-type]
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


def forget_slack_id(settings: Settings, email: str) -> None:
    engine = make_engine(settings.database_url)
    with session_scope(make_session_factory(engine)) as session:
        session.execute(update(User).where(User.email == email).values(slack_user_id=None))
    engine.dispose()


@pytest.fixture
def world(tmp_path: Path, demo_template: Path, standin: SlackStandIn) -> Iterator[SlackWorld]:
    """create_app over a copy of the demo tenant, Slack mounted with the demo's clock, served on loopback."""
    settings = demo_settings(tmp_path, demo_template)
    forget_slack_id(settings, "jane@demo.csagent.dev")
    app = create_app(settings)  # no Slack settings: nothing mounted yet
    state = app.state.web
    state.settings = settings.model_copy(
        update={"slack_bot_token": "xoxb-test", "slack_signing_secret": SECRET, "slack_api_url": standin.api_url}
    )
    mount_slack(app, state, clock=lambda: NOW)
    engine = make_engine(settings.database_url)
    try:
        with serve(app) as url:
            yield SlackWorld(url, standin, engine, make_session_factory(engine), state.settings)
    finally:
        engine.dispose()
