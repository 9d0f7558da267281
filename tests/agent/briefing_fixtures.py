"""Shared briefing fixtures: a demo copy whose scores were computed shortly before the test's clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from domain.db import make_session_factory
from domain.scoring.models import HealthSnapshot
from tests.demo_fixture import NOW

JANE, JOHN, PRIYA, MARCUS = (f"{name}@demo.csagent.dev" for name in ("jane", "john", "priya", "marcus"))
CONSULTANT, VP = "consultant@demo.csagent.dev", "vp@demo.csagent.dev"
STORIES = {"Acme Corp": "CHAMPION_RISK", "Beta Industries": "SUPPORT_SPIKE", "Delta Inc": "PAYMENT_ISSUE"}


def set_scores_computed_at(session: Session, when: dt.datetime) -> None:
    """Pretend the hourly recompute last ran at `when` (the demo's rows carry the wall-clock time of the build)."""
    session.execute(update(HealthSnapshot).values(created_at=when))
    session.commit()


@pytest.fixture
def fresh_db(demo_engine: Engine) -> Iterator[Session]:
    session = make_session_factory(demo_engine)()
    set_scores_computed_at(session, NOW - dt.timedelta(hours=2))
    yield session
    session.close()
