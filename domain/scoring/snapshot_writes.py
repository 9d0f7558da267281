"""Bulk writes of a recompute: the day's snapshot rows, and each client's latest score copied onto its row.

A recompute writes 10,000 rows a day, so neither write builds ORM objects or sends a statement per row:
PostgreSQL receives snapshots through COPY, SQLite (in process, no round trips) through one executemany,
and client rows are updated by a single UPDATE ... FROM on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Sequence
from typing import Any, cast

from sqlalchemy import Subquery, Table, and_, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from domain.clients.models import Client
from domain.scoring.models import HealthSnapshot

# Columns a recompute fills; id and created_at come from their defaults.
SNAPSHOT_COLUMNS = (
    "client_id",
    "day",
    "model_key",
    "overall_score",
    "status",
    "trend",
    "components",
    "raw_inputs",
    "weights",
    "config_id",
    "notable_events",
)
_JSON_COLUMNS = frozenset({"components", "raw_inputs", "weights", "notable_events"})
_SNAPSHOTS = cast(Table, HealthSnapshot.__table__)
_CLIENTS = cast(Table, Client.__table__)


def insert_snapshots(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert snapshot rows (dicts keyed by SNAPSHOT_COLUMNS) in bulk."""
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql":
        _copy_snapshots(session, rows)
    else:
        session.execute(insert(_SNAPSHOTS), list(rows))


def _copy_snapshots(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    # JSON is serialised with json.dumps, as the JSON column type would, so the stored text is the same.
    columns = (*SNAPSHOT_COLUMNS, "created_at")
    created_at = dt.datetime.now(dt.UTC)
    sql = f"COPY {_SNAPSHOTS.name} ({', '.join(columns)}) FROM STDIN"
    dbapi_connection: Any = session.connection().connection.dbapi_connection
    with dbapi_connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([*(_copy_value(name, row[name]) for name in SNAPSHOT_COLUMNS), created_at])


def _copy_value(name: str, value: Any) -> Any:
    if name in _JSON_COLUMNS:
        return json.dumps(value)
    if name in ("status", "trend") and value is not None:
        return value.value
    return value


def copy_latest_to_clients(session: Session, workspace_id: int, client_ids: Collection[int] | None) -> None:
    """Copy each client's latest health snapshot onto the client row that portfolio lists read."""
    latest = (
        select(HealthSnapshot.client_id, func.max(HealthSnapshot.day).label("day"))
        .join(Client, Client.id == HealthSnapshot.client_id)
        .where(Client.workspace_id == workspace_id, HealthSnapshot.model_key == "health")
        .group_by(HealthSnapshot.client_id)
    )
    if client_ids is not None:
        latest = latest.where(HealthSnapshot.client_id.in_(list(client_ids)))
    newest = latest.subquery()
    if session.get_bind().dialect.name == "postgresql":
        _update_in_database(session, newest)
        return
    rows = session.execute(
        select(HealthSnapshot.client_id, HealthSnapshot.overall_score, HealthSnapshot.status, HealthSnapshot.trend)
        .join(newest, and_(newest.c.client_id == HealthSnapshot.client_id, newest.c.day == HealthSnapshot.day))
        .where(HealthSnapshot.model_key == "health")
    )
    # Rounded in Python, half to even like PostgreSQL's round(double precision); SQLite's ROUND() rounds
    # halves away from zero. In process, an executemany costs no round trips.
    session.execute(
        update(_CLIENTS)
        .where(_CLIENTS.c.id == bindparam("client_id"))
        .values(
            current_health_score=bindparam("score"),
            health_status=bindparam("status", type_=_CLIENTS.c.health_status.type),
            health_trend=bindparam("trend", type_=_CLIENTS.c.health_trend.type),
        ),
        [
            {"client_id": client_id, "score": round(overall), "status": status, "trend": trend}
            for client_id, overall, status, trend in rows
        ],
    )


def _update_in_database(session: Session, newest: Subquery) -> None:
    """One UPDATE ... FROM: the rows never leave PostgreSQL (round() of a double rounds half to even there)."""
    snapshots = _SNAPSHOTS
    session.execute(
        update(_CLIENTS)
        .where(
            _CLIENTS.c.id == snapshots.c.client_id,
            snapshots.c.model_key == "health",
            newest.c.client_id == snapshots.c.client_id,
            newest.c.day == snapshots.c.day,
        )
        .values(
            current_health_score=func.round(snapshots.c.overall_score),
            health_status=snapshots.c.status,
            health_trend=snapshots.c.trend,
        )
    )
