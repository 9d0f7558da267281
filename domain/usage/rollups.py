"""Rebuild daily usage rollups (seed 004's ClientUsageMetric) from engagement events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from itertools import groupby
from operator import attrgetter
from typing import Any, cast

from sqlalchemy import Table, delete, func, select
from sqlalchemy.orm import Session

from domain.errors import ValidationError
from domain.progress import ProgressCallback, no_progress
from domain.usage import rollup_queries as queries
from domain.usage.bulk import insert_rows
from domain.usage.models import UsageRollup
from domain.usage.rollup_rules import (
    LOOKBACK_DAYS,
    MAU_DAYS,
    WEEKDAY_KEYS,
    RollingUsers,
    session_averages,
)

# Clients per scan of the window: bounds memory and IN-list size; the demo's 1,000 take one scan.
CLIENT_BATCH = 2000
INSERT_CHUNK = 5000
_rollups = cast(Table, UsageRollup.__table__)
_QUIET_DAY = queries.ClientDayUsage(
    client_id=0,
    day=dt.date.min,
    actions=0,
    duration_seconds=0,
    logins=0,
    users=set(),
    sessions=0,
    feature_counts={},
    logins_by_hour={},
)


def rebuild_rollups(
    *,
    db_session: Session,
    client_ids: Collection[int] | None,
    start: dt.date,
    end: dt.date,
    progress: ProgressCallback | None = None,
) -> int:
    """Replace the usage rollups of start..end for these clients (None: every client with events then).

    A client gets a row for each day from `start` (or its first event ever, if later) to `end`, so
    quiet days show zeros. The JSON counts are sparse: hours, weekdays and features without use are
    left out. Returns the number of rows written.
    """
    if end < start:
        raise ValidationError(f"rollup window ends ({end}) before it starts ({start})")
    report = progress or no_progress
    if client_ids is None:
        ids = queries.clients_with_events(db_session=db_session, start=start, end=end)
    else:
        ids = sorted(set(client_ids))
    total = len(ids) * ((end - start).days + 1)  # an upper bound: rows start at each first event
    written = 0
    for offset in range(0, len(ids), CLIENT_BATCH):
        batch = ids[offset : offset + CLIENT_BATCH]
        db_session.execute(delete(_rollups).where(_rollups.c.client_id.in_(batch), _rollups.c.day.between(start, end)))
        pending: list[dict[str, Any]] = []
        for row in _rollup_rows(db_session, batch, start, end):
            pending.append(row)
            if len(pending) == INSERT_CHUNK:
                written += _insert(db_session, pending)
                report("rollups", written, total)
        written += _insert(db_session, pending)
    report("rollups", total, total)
    return written


def rollup_end_after_new_events(
    *, db_session: Session, client_ids: Collection[int], last_event_day: dt.date
) -> dt.date:
    """The last day whose rollups new events up to `last_event_day` can change.

    Weekly and monthly users look back 30 days, so rows that already exist after that day must be
    rebuilt too; days without rows are left alone, so no rows appear for days still to come. (A late
    event older than a user's first known one also moves that user's new-user day; beyond 30 days
    that older row is not rebuilt here.)
    """
    latest: dt.date | None = db_session.scalar(
        select(func.max(_rollups.c.day)).where(_rollups.c.client_id.in_(client_ids))
    )
    if latest is None or latest <= last_event_day:
        return last_event_day
    return min(latest, last_event_day + dt.timedelta(days=MAU_DAYS - 1))


def _insert(db_session: Session, rows: list[dict[str, Any]]) -> int:
    count = len(rows)
    insert_rows(db_session, _rollups, rows)
    rows.clear()
    return count


def _rollup_rows(db_session: Session, client_ids: list[int], start: dt.date, end: dt.date) -> Iterator[dict[str, Any]]:
    """Rows for every client and day, from one streamed pass over the clients' days in order."""
    lookback_start = start - dt.timedelta(days=LOOKBACK_DAYS)
    seen_before = queries.users_seen_before(db_session=db_session, client_ids=client_ids, before=lookback_start)
    usage = queries.iter_client_days(db_session=db_session, client_ids=client_ids, first=lookback_start, last=end)
    by_client = groupby(usage, key=attrgetter("client_id"))
    pending = next(by_client, None)
    for client_id in client_ids:  # ascending, like the query's rows
        days: list[queries.ClientDayUsage] = []
        if pending is not None and pending[0] == client_id:
            days = list(pending[1])
            pending = next(by_client, None)
        yield from _client_rows(client_id, days, seen_before.get(client_id, set()), lookback_start, end)


def _client_rows(
    client_id: int,
    days: list[queries.ClientDayUsage],
    users_seen_before: set[str],
    lookback_start: dt.date,
    end: dt.date,
) -> Iterator[dict[str, Any]]:
    span = (end - lookback_start).days + 1
    tracker = RollingUsers(span, users_seen_before=users_seen_before)
    usage_on: dict[int, queries.ClientDayUsage] = {}
    for usage in days:
        index = (usage.day - lookback_start).days
        tracker.add_day(index, usage.users)
        usage_on[index] = usage
    if tracker.first_day is None:
        return
    for index in range(max(tracker.first_day, LOOKBACK_DAYS), span):
        day = lookback_start + dt.timedelta(days=index)
        yield _row(client_id, day, tracker.counts(index), usage_on.get(index))


def _row(
    client_id: int, day: dt.date, users: tuple[int, int, int, int], usage: queries.ClientDayUsage | None
) -> dict[str, Any]:
    daily, weekly, monthly, new = users
    if usage is None:
        usage = _QUIET_DAY
    avg_duration, depth = session_averages(
        sessions=usage.sessions, actions=usage.actions, duration=usage.duration_seconds
    )
    return {
        "client_id": client_id,
        "day": day,
        "daily_active_users": daily,
        "weekly_active_users": weekly,
        "monthly_active_users": monthly,
        "new_users": new,
        "total_sessions": usage.sessions,
        "total_actions": usage.actions,
        "avg_session_duration_seconds": avg_duration,
        "avg_session_depth": depth,
        "logins": usage.logins,
        "feature_counts": usage.feature_counts,
        "logins_by_hour": usage.logins_by_hour,
        "logins_by_weekday": {WEEKDAY_KEYS[day.weekday()]: usage.logins} if usage.logins else {},
    }
