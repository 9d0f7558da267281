"""Bulk Core inserts for demo rows: thousands of rows per statement instead of one ORM object each."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from domain.db import Base

CHUNK_ROWS = 5_000


def insert_rows(db_session: Session, model: type[Base], rows: list[dict[str, Any]]) -> int:
    """Insert plain dict rows (all with the same keys); returns how many were written."""
    table = cast(Table, model.__table__)
    for start in range(0, len(rows), CHUNK_ROWS):
        db_session.execute(insert(table), rows[start : start + CHUNK_ROWS])
    return len(rows)


def insert_returning_ids(db_session: Session, model: type[Base], rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows and return their new ids in the order of `rows`."""
    table = cast(Table, model.__table__)
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    ids: list[int] = []
    for start in range(0, len(rows), CHUNK_ROWS):
        ids.extend(db_session.scalars(statement, rows[start : start + CHUNK_ROWS]))
    return ids
