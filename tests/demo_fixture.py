"""The demo tenant as a test fixture: generated once per test session into a SQLite file, copied per test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from domain.db import make_engine, make_session_factory, session_scope
from domain.demo import generate_demo
from domain.jobs import refresh_derived_data
from domain.migrate import upgrade

DEMO_AS_OF = dt.date(2026, 11, 22)
NOW = dt.datetime(2026, 11, 22, 15, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo tenant (60 clients, scores backfilled 35 days, churn, alerts) in a SQLite file, built once."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with session_scope(make_session_factory(engine)) as session:
        summary = generate_demo(db_session=session, as_of=DEMO_AS_OF)
        refresh_derived_data(
            db_session=session, workspace_id=summary.workspace_id, as_of=DEMO_AS_OF, now=NOW, backfill_days=35
        )
    engine.dispose()
    return path
