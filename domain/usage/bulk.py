"""Bulk inserts without SQLAlchemy's per-row overhead: COPY on PostgreSQL, bound executemany on SQLite.

Through SQLAlchemy an executemany row costs ~10 us of client CPU before the database sees it (and
with psycopg each JSON value is serialised twice). Here values are bound once per column by the
columns' own bind processors, so what is stored is exactly what SQLAlchemy would store.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Insert, Table, insert
from sqlalchemy.orm import Session

from domain.usage.bind_values import bind_processor


def insert_rows(db_session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert dict rows that all carry the same keys and conflict with nothing stored."""
    if not rows:
        return
    columns = list(rows[0])
    if db_session.get_bind().dialect.name == "postgresql":
        json_positions = json_positions_of(table, columns)
        copy_rows(db_session, table.name, columns, (copy_values(row, columns, json_positions) for row in rows))
    else:
        executemany_bound(db_session, insert(table), table, columns, rows)


def executemany_bound(
    db_session: Session, statement: Insert, table: Table, columns: Sequence[str], rows: Sequence[dict[str, Any]]
) -> int:
    """Run `statement` for every row through the DB-API cursor (positional paramstyles); returns rowcount."""
    dialect = db_session.get_bind().dialect
    compiled = statement.compile(dialect=dialect, column_keys=list(columns))
    if compiled.positiontup is None:
        raise NotImplementedError(f"{dialect.name} does not use a positional paramstyle")
    names = compiled.positiontup
    # itemgetter of one name returns the bare value, not a 1-tuple.
    pick = itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
    binders = [
        (position, bind) for position, name in enumerate(names) if (bind := bind_processor(table.c[name].type, dialect))
    ]
    values = [_bound(list(pick(row)), binders) for row in rows]
    cursor = db_session.connection().connection.cursor()
    try:
        cursor.executemany(str(compiled), values)
        return int(cursor.rowcount)
    finally:
        cursor.close()


def _bound(values: list[Any], binders: Sequence[tuple[int, Callable[[Any], Any]]]) -> list[Any]:
    for position, bind in binders:
        values[position] = bind(values[position])
    return values


def copy_rows(db_session: Session, table_name: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """COPY value sequences (in `columns` order, JSON already serialised) into a PostgreSQL table."""
    cursor = db_session.connection().connection.cursor()
    with cursor.copy(f"COPY {table_name} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def json_positions_of(table: Table, columns: Sequence[str]) -> list[int]:
    return [position for position, name in enumerate(columns) if isinstance(table.c[name].type, JSON)]


def copy_values(row: dict[str, Any], columns: Sequence[str], json_positions: Sequence[int]) -> list[Any]:
    """The row's values in column order, JSON serialised as COPY expects it."""
    values = [row[name] for name in columns]
    for position in json_positions:
        value = values[position]
        if value is not None:
            # Most rollup counts are empty objects.
            values[position] = "{}" if type(value) is dict and not value else json.dumps(value)
    return values
