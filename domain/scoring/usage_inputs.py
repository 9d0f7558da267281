"""Usage inputs for scoring: per-client aggregates over the daily rollups, one grouped pass per 30-day window.

This is the heaviest read of a recompute (60 rollup rows per client), so it is shaped for the planners:
grouping by clients.id lets SQLite walk the (client_id, day) index in order instead of sorting every
row, and when the caller names the features it needs, their counts come from one JSON extraction per
feature in the same passes instead of expanding every rollup's JSON into rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Result, bindparam, case, func, select, text
from sqlalchemy.orm import Session

from domain.clients.models import Client
from domain.usage.models import UsageRollup

if TYPE_CHECKING:
    from domain.scoring.inputs import ClientInputs

# Above this many named features, expanding each row's JSON once (json_each) beats one extraction per feature:
# PostgreSQL's json type re-parses the document for every ->>.
MAX_EXTRACTED_FEATURES = 12


def _window(as_of: dt.date, days: int, *, ending_days_before: int = 0) -> tuple[dt.date, dt.date]:
    end = as_of - dt.timedelta(days=ending_days_before)
    return end - dt.timedelta(days=days - 1), end


def add_usage(
    session: Session,
    scope: ColumnElement[bool],
    as_of: dt.date,
    inputs: dict[int, ClientInputs],
    feature_keys: Collection[str] | None,
) -> bool:
    """Fill the usage fields, and the last 30 days' use of the named features; True when those were filled.

    Scores read feature use in the last 30 days only, so named features are not counted in the 30 days
    before (feature_uses_prev_30d stays empty); without names, add_all_feature_use counts both windows.

    One grouped pass per 30-day window: each rollup row then feeds only the aggregates of its own window,
    about half the per-row work of one pass over 60 days with a CASE per window in every aggregate.
    """
    keys = sorted(feature_keys) if feature_keys is not None else []
    extract = feature_keys is not None and len(keys) <= MAX_EXTRACTED_FEATURES
    if not extract:
        keys = []
    recent_start, _ = _window(as_of, 30)
    previous_start, previous_end = _window(as_of, 30, ending_days_before=30)
    recent = _grouped(session, scope, recent_start, as_of, _recent_columns(as_of) + _feature_sums(keys))
    for client_id, *values in recent:
        item = inputs[client_id]
        _fill_recent(item, values[:10])
        _fill_features(item.feature_uses_30d, keys, values[10:])
    previous = _grouped(session, scope, previous_start, previous_end, _previous_columns())
    for client_id, dau_average, last_day in previous:
        item = inputs[client_id]
        item.dau_prev_30d = None if dau_average is None else float(dau_average)
        if item.last_active_day is None:
            item.last_active_day = _as_date(last_day)
    return extract


def _grouped(
    session: Session, scope: ColumnElement[bool], start: dt.date, end: dt.date, columns: list[ColumnElement[Any]]
) -> Result[Any]:
    # Grouped by clients.id (not usage_rollups.client_id) so SQLite reads the rows in group order, unsorted.
    return session.execute(
        select(Client.id, *columns)
        .join(UsageRollup, UsageRollup.client_id == Client.id)
        .where(scope, UsageRollup.day.between(start, end))
        .group_by(Client.id)
    )


def _recent_columns(as_of: dt.date) -> list[ColumnElement[Any]]:
    """Aggregates over the last 30 days (the query's range)."""
    start7, _ = _window(as_of, 7)
    start14, end14 = _window(as_of, 7, ending_days_before=7)
    day, actions = UsageRollup.day, UsageRollup.total_actions
    return [
        func.avg(case((day >= start7, UsageRollup.daily_active_users))),
        func.avg(UsageRollup.daily_active_users),
        func.max(case((day == as_of, UsageRollup.weekly_active_users))),
        func.max(case((day == as_of, UsageRollup.monthly_active_users))),
        func.max(case((actions > 0, day))),
        func.sum(UsageRollup.total_sessions),
        func.sum(actions),
        func.count(case((actions > 0, 1))),
        func.sum(case((day >= start7, actions), else_=0)),
        func.sum(case((day.between(start14, end14), actions), else_=0)),
    ]


def _previous_columns() -> list[ColumnElement[Any]]:
    """Aggregates over the 30 days before those (the query's range)."""
    return [
        func.avg(UsageRollup.daily_active_users),
        func.max(case((UsageRollup.total_actions > 0, UsageRollup.day))),
    ]


def _feature_sums(keys: Sequence[str]) -> list[ColumnElement[Any]]:
    """One sum per feature over the rollups with any activity in the query's range."""
    active = UsageRollup.total_actions > 0
    return [func.sum(case((active, UsageRollup.feature_counts[key].as_integer()))) for key in keys]


def _fill_recent(item: ClientInputs, values: Sequence[Any]) -> None:
    dau7, dau30, wau, mau, last_day, sessions, actions, days, week, prev_week = values
    item.dau_7d = None if dau7 is None else float(dau7)
    item.dau_30d = None if dau30 is None else float(dau30)
    item.wau, item.mau = wau, mau
    item.last_active_day = _as_date(last_day)
    item.sessions_30d, item.actions_30d = int(sessions or 0), int(actions or 0)
    item.active_days_30d, item.actions_7d, item.actions_prev_7d = days, int(week or 0), int(prev_week or 0)


def _as_date(value: dt.date | str | None) -> dt.date | None:
    # SQLite returns MAX() over a DATE column as text.
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _fill_features(target: dict[str, int], keys: Sequence[str], sums: Sequence[Any]) -> None:
    # A NULL sum means no active rollup mentions the feature: absent, as with json_each below.
    for key, uses in zip(keys, sums, strict=True):
        if uses is not None:
            target[key] = int(uses)


# Every feature key a rollup mentions, expanded in SQL (json_each / json_each_text) so rows are not decoded in Python.
_FEATURE_USE_SQL = {
    "sqlite": """
        SELECT c.id, r.day >= :recent_start AS recent, j.key, SUM(j.value)
        FROM usage_rollups AS r JOIN clients AS c ON c.id = r.client_id, json_each(r.feature_counts) AS j
        WHERE c.workspace_id = :workspace_id AND r.day BETWEEN :start AND :end AND r.total_actions > 0 {clients}
        GROUP BY c.id, recent, j.key""",
    "postgresql": """
        SELECT r.client_id, r.day >= :recent_start AS recent, j.key, SUM(j.value::bigint)
        FROM usage_rollups AS r JOIN clients AS c ON c.id = r.client_id
        CROSS JOIN LATERAL json_each_text(r.feature_counts) AS j(key, value)
        WHERE c.workspace_id = :workspace_id AND r.day BETWEEN :start AND :end AND r.total_actions > 0 {clients}
        GROUP BY r.client_id, recent, j.key""",
}


def add_all_feature_use(
    session: Session,
    workspace_id: int,
    client_ids: Collection[int] | None,
    as_of: dt.date,
    inputs: dict[int, ClientInputs],
) -> None:
    """Use counts of every feature key found in the rollups, this 30-day window and the one before."""
    start30, _ = _window(as_of, 30)
    start_prev, _ = _window(as_of, 30, ending_days_before=30)
    sql = _FEATURE_USE_SQL[session.get_bind().dialect.name]
    params: dict[str, object] = {
        "workspace_id": workspace_id,
        "start": start_prev,
        "end": as_of,
        "recent_start": start30,
    }
    statement = text(sql.format(clients="AND r.client_id IN :client_ids" if client_ids is not None else ""))
    if client_ids is not None:
        statement = statement.bindparams(bindparam("client_ids", expanding=True))
        params["client_ids"] = list(client_ids)
    for client_id, recent, key, uses in session.execute(statement, params):
        target = inputs[client_id].feature_uses_30d if recent else inputs[client_id].feature_uses_prev_30d
        target[key] = int(uses)
