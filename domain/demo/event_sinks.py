"""Where simulated events go: chunked bulk inserts, with a lean path for SQLite's millions of rows.

Through SQLAlchemy Core an event row costs ~14 us of CPU, half of it binding values one by one; a
1,000-client demo has ~1.6M rows. On SQLite the values are therefore rendered once, exactly as
SQLAlchemy would store them (checked against its own bind processors), and passed to executemany.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol, cast

from sqlalchemy import Dialect, Table, insert
from sqlalchemy.orm import Session

from domain.demo.clock import utc_at
from domain.demo.event_sim import SimEvent
from domain.usage.events import insert_events
from domain.usage.models import EngagementEvent

CHUNK_ROWS = 10_000  # big enough to amortise a statement, small enough to keep memory flat
COLUMNS = (
    "workspace_id", "event_id", "client_id", "user_ref", "event_type", "feature_key", "occurred_at",
    "occurred_on", "occurred_hour", "session_id", "duration_seconds",
)  # fmt: skip
_events = cast(Table, EngagementEvent.__table__)


class EventSink(Protocol):
    written: int

    def add(self, client_id: int, client_index: int, day: dt.date, first_number: int, events: list[SimEvent]) -> None:
        """Queue one client-day of events, numbered from `first_number`."""

    def flush(self) -> None:
        """Write whatever is queued."""


def event_sink_for(db_session: Session, workspace_id: int) -> EventSink:
    dialect = db_session.get_bind().dialect
    if dialect.name == "sqlite" and _sqlite_rendering_matches(dialect):
        return SqliteEventSink(db_session, workspace_id)
    if dialect.name == "postgresql":
        return PostgresEventSink(db_session, workspace_id)
    return CoreEventSink(db_session, workspace_id)


def event_id(client_index: int, number: int) -> str:
    """Unique in the workspace and numbered in time order within the client."""
    return f"evt-{client_index + 1:05d}-{number:07d}"


class CoreEventSink:
    """Plain Core executemany of dict rows: the portable fallback."""

    def __init__(self, db_session: Session, workspace_id: int) -> None:
        self._session, self._workspace_id = db_session, workspace_id
        self._rows: list[dict[str, Any]] = []
        self.written = 0

    def add(self, client_id: int, client_index: int, day: dt.date, first_number: int, events: list[SimEvent]) -> None:
        midnight = utc_at(day)
        for number, (second, session_id, user_ref, event_type, feature_key, duration) in enumerate(
            events, first_number
        ):
            occurred_at = midnight + dt.timedelta(seconds=second)
            key = (self._workspace_id, event_id(client_index, number), client_id, user_ref, event_type)
            values = (*key, feature_key, occurred_at, day, second // 3600, session_id, duration)
            self._rows.append(dict(zip(COLUMNS, values, strict=True)))
        if len(self._rows) >= CHUNK_ROWS:
            self.flush()

    def flush(self) -> None:
        if self._rows:
            self._session.execute(insert(_events), self._rows)
            self.written += len(self._rows)
            self._rows = []


class PostgresEventSink(CoreEventSink):
    """The usage area's own ingestion path, which COPYs into PostgreSQL (executemany is far slower there)."""

    def flush(self) -> None:
        if self._rows:
            rows = [row | {"properties": None} for row in self._rows]
            self.written += insert_events(db_session=self._session, rows=rows)
            self._rows = []


class SqliteEventSink:
    """DBAPI executemany of pre-rendered tuples, in the session's transaction."""

    def __init__(self, db_session: Session, workspace_id: int) -> None:
        self._connection, self._workspace_id = db_session.connection(), workspace_id
        self._sql = f"INSERT INTO {_events.name} ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
        self._rows: list[tuple[Any, ...]] = []
        self.written = 0

    def add(self, client_id: int, client_index: int, day: dt.date, first_number: int, events: list[SimEvent]) -> None:
        day_text, prefix, workspace_id = day.isoformat(), event_id(client_index, 0)[:-7], self._workspace_id
        self._rows.extend(
            (workspace_id, f"{prefix}{number:07d}", client_id, user_ref, event_type, feature_key,
             f"{day_text} {_MINUTES[second // 60]}{_SECONDS[second % 60]}", day_text, second // 3600, session_id,
             duration)
            for number, (second, session_id, user_ref, event_type, feature_key, duration) in enumerate(
                events, first_number
            )
        )  # fmt: skip
        if len(self._rows) >= CHUNK_ROWS:
            self.flush()

    def flush(self) -> None:
        if self._rows:
            self._connection.exec_driver_sql(self._sql, self._rows)
            self.written += len(self._rows)
            self._rows = []


# "HH:MM:" per minute of the day and "SS.ffffff" per second: lookups instead of formatting 1.6M times.
_MINUTES = [f"{minute // 60:02d}:{minute % 60:02d}:" for minute in range(24 * 60)]
_SECONDS = [f"{second:02d}.000000" for second in range(60)]


def _sqlite_datetime(day_text: str, second: int) -> str:
    """SQLAlchemy's SQLite DATETIME storage format, for a UTC time `second`s after midnight."""
    return f"{day_text} {_MINUTES[second // 60]}{_SECONDS[second % 60]}"


def _sqlite_rendering_matches(dialect: Dialect) -> bool:
    """True when SQLAlchemy itself would store a sample event's values exactly as the lean path does."""
    day, second = dt.date(2024, 2, 29), 13 * 3600 + 4 * 60 + 5
    ours = {
        "occurred_at": _sqlite_datetime(day.isoformat(), second),
        "occurred_on": day.isoformat(),
        "event_type": "login",
    }
    sample = {"occurred_at": utc_at(day) + dt.timedelta(seconds=second), "occurred_on": day, "event_type": "login"}
    for name, value in sample.items():
        process = _events.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if (process(value) if process else value) != ours[name]:
            return False
    return True
