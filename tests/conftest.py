"""Shared fixtures: a migrated database per backend, a rolled-back session per test, factories."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from domain.db import make_engine
from domain.migrate import upgrade
from tests.demo_fixture import demo_template
from tests.factories import Factory

__all__ = ["demo_template"]

DEFAULT_LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_url() -> str | None:
    """CSAGENT_TEST_POSTGRES_URL, else the local server if it answers, else None (PostgreSQL runs skip)."""
    url = os.environ.get("CSAGENT_TEST_POSTGRES_URL")
    if url:
        return url
    try:
        probe = sa.create_engine(DEFAULT_LOCAL_POSTGRES, connect_args={"connect_timeout": 2})
        with probe.connect():
            pass
        probe.dispose()
    except Exception:
        return None
    return DEFAULT_LOCAL_POSTGRES


def _postgres_engine(base_url: str) -> tuple[Engine, str]:
    """An engine confined to a fresh schema, so parallel workers and runs never collide."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base_url)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    engine = sa.create_engine(base_url, connect_args={"options": f"-csearch_path={schema}"})
    return engine, schema


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A migrated database on each backend; PostgreSQL is skipped when no server answers."""
    if request.param == "sqlite":
        db_engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}")
        upgrade(db_engine)
        yield db_engine
        db_engine.dispose()
        return
    url = postgres_url()
    if url is None:
        pytest.skip("no PostgreSQL server answers; set CSAGENT_TEST_POSTGRES_URL to run these")
    db_engine, schema = _postgres_engine(url)
    upgrade(db_engine)
    yield db_engine
    db_engine.dispose()
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def db_session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test; commits inside become savepoints."""
    connection = engine.connect()
    transaction = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()


@pytest.fixture
def factory(db_session: Session) -> Factory:
    return Factory(db_session)
