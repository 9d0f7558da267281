"""What every command needs: settings from the environment, a migrated database, a session, the date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from domain.access import Actor, actor_for_email
from domain.db import make_engine, make_session_factory, session_scope
from domain.errors import ValidationError
from domain.migrate import is_up_to_date, upgrade
from domain.settings import Settings


def load_settings() -> Settings:
    try:
        return Settings()
    except Exception as problem:  # pydantic's message is multi-line; keep the first useful line
        lines = [line.strip() for line in str(problem).splitlines() if line.strip()]
        raise ValidationError(f"bad configuration: {lines[-2] if len(lines) > 1 else lines[0]}") from None


def open_engine(settings: Settings) -> Engine:
    """An engine on a database at the newest schema; SQLite is migrated in place, PostgreSQL must be."""
    settings.ensure_sqlite_directory()
    engine = make_engine(settings.database_url)
    if not is_up_to_date(engine):
        if not settings.database_url.startswith("sqlite"):
            raise ValidationError("the database schema is not current; run `csagent db upgrade`")
        upgrade(engine)
    return engine


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """One transaction for one command: committed if the command succeeds."""
    engine = open_engine(load_settings())
    try:
        with session_scope(make_session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()


def actor_from_email(session: Session, email: str) -> Actor:
    return actor_for_email(session, email)


def parse_as_of(value: str | None) -> dt.date:
    """The date the command computes for: --as-of, else today in UTC."""
    if value is None:
        return dt.datetime.now(dt.UTC).date()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"--as-of must be a date like 2026-11-22, not {value!r}") from None
