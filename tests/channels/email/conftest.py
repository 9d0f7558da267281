"""Email channel fixtures: a demo copy with fresh scores, a real SMTP server, a Slack stand-in, settings."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session, sessionmaker

from domain.db import make_engine, make_session_factory
from domain.scoring.models import HealthSnapshot
from domain.settings import Settings
from tests.channels.email.servers import SlackStandIn, SmtpServer
from tests.demo_fixture import NOW

INBOUND_SECRET = "s3cret-inbound"


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "demo.db"
    shutil.copyfile(demo_template, copy)
    return copy


@pytest.fixture
def demo_engine(demo_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{demo_path}")
    with engine.begin() as connection:  # the hourly recompute ran two hours before the test's clock
        connection.execute(update(HealthSnapshot).values(created_at=NOW - dt.timedelta(hours=2)))
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(demo_engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(demo_engine)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn() as server:
        yield server


@pytest.fixture
def settings(demo_path: Path, smtp: SmtpServer, slack: SlackStandIn, tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{demo_path}",
        model="offline",
        smtp_url=smtp.url,
        slack_bot_token="xoxb-test",
        slack_api_url=slack.url,
        email_from="csagent <csagent@demo.csagent.dev>",
        email_inbound_secret=INBOUND_SECRET,
        chroma_path=tmp_path / "chroma",
    )
