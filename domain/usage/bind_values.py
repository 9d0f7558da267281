"""Per-column bind processors for bulk inserts: SQLAlchemy's own, with faster twins for the hot types.

Bulk loads bind millions of values. SQLAlchemy's SQLite datetime processor alone costs ~5 us a value
(a %-format over a dict), a tenth of an event's whole insert budget. The twins below return exactly
what SQLAlchemy's processors return (tests/domain/test_bulk_binds.py compares them) and hand any
value they do not expect to the original, so errors stay SQLAlchemy's too.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import JSON, Date, Dialect, TypeDecorator
from sqlalchemy.types import TypeEngine

from domain.db import UTCDateTime

Binder = Callable[[Any], Any]


def bind_processor(column_type: TypeEngine[Any], dialect: Dialect) -> Binder | None:
    """The processor turning a Python value into what the DB-API gets for this column, if any."""
    # dialect_impl: a TypeDecorator's own bind_processor would skip its dialect-level implementation.
    original = column_type.dialect_impl(dialect).bind_processor(dialect)
    if original is None:
        return None
    if dialect.name != "sqlite":  # PostgreSQL loads go through COPY, not these
        return original
    if isinstance(column_type, UTCDateTime):
        return _sqlite_utc_datetime(original)
    if isinstance(column_type, Date) and not isinstance(column_type, TypeDecorator):
        return _sqlite_date(original)
    if isinstance(column_type, JSON) and not column_type.none_as_null:
        serializer = getattr(dialect, "_json_serializer", None) or json.dumps
        return _sqlite_json(original, serializer)
    return original


def _sqlite_utc_datetime(original: Binder) -> Binder:
    def process(value: Any) -> Any:
        # SQLAlchemy writes "YYYY-MM-DD HH:MM:SS.ffffff" (the UTC wall time, no offset).
        if type(value) is dt.datetime and value.tzinfo is not None:
            utc = value if value.tzinfo is dt.UTC else value.astimezone(dt.UTC)
            return utc.replace(tzinfo=None).isoformat(" ", "microseconds")
        return original(value)

    return process


def _sqlite_date(original: Binder) -> Binder:
    def process(value: Any) -> Any:
        if type(value) is dt.date:  # not a datetime, which SQLAlchemy cuts to its date
            return value.isoformat()
        return original(value)

    return process


def _sqlite_json(original: Binder, serializer: Callable[[Any], str]) -> Binder:
    # None is stored as JSON null (none_as_null is off); most rollup counts are empty objects.
    null, empty = serializer(None), serializer({})

    def process(value: Any) -> Any:
        if value is None:
            return null
        if type(value) is dict:
            return serializer(value) if value else empty
        return original(value)

    return process
