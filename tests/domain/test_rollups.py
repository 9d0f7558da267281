"""Daily usage rollups rebuilt from hand-built events, checked metric by metric on both backends."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.clients.models import Client
from domain.errors import ValidationError
from domain.usage import rollup_queries
from domain.usage.events import event_time_columns, insert_events
from domain.usage.models import UsageRollup
from domain.usage.rollup_rules import RollingUsers, session_averages
from domain.usage.rollups import rebuild_rollups, rollup_end_after_new_events
from tests.factories import Factory

MONDAY = dt.date(2025, 3, 3)
_ids = itertools.count(1)


def at(day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)


def add_events(db_session: Session, client: Client, *events: dict[str, Any]) -> None:
    rows = []
    for event in events:
        occurred_at, day, hour = event_time_columns(event["at"])
        rows.append(
            {
                "workspace_id": client.workspace_id,
                "event_id": f"e-{next(_ids)}",
                "client_id": client.id,
                "user_ref": event["user"],
                "event_type": event.get("type", "page_view"),
                "feature_key": event.get("feature"),
                "occurred_at": occurred_at,
                "occurred_on": day,
                "occurred_hour": hour,
                "session_id": event.get("session"),
                "duration_seconds": event.get("duration"),
                "properties": None,
            }
        )
    insert_events(db_session=db_session, rows=rows)


def rollups(db_session: Session, client: Client) -> dict[dt.date, UsageRollup]:
    rows = db_session.scalars(select(UsageRollup).where(UsageRollup.client_id == client.id).order_by(UsageRollup.day))
    return {row.day: row for row in rows}


def day(n: int) -> dt.date:
    return MONDAY + dt.timedelta(days=n)


@pytest.fixture
def client(factory: Factory) -> Client:
    return factory.client(factory.workspace())


def test_one_day_gets_every_metric_exactly(db_session: Session, client: Client) -> None:
    add_events(
        db_session,
        client,
        {"user": "u1", "type": "login", "at": at(MONDAY, 9, 15), "session": "s1", "duration": 60},
        {"user": "u1", "type": "feature_use", "feature": "reports", "at": at(MONDAY, 9, 20), "session": "s1",
         "duration": 120},
        {"user": "u2", "type": "login", "at": at(MONDAY, 14, 5)},
        {"user": "u2", "at": at(MONDAY, 14, 10), "duration": 30},
        {"user": "u3", "type": "feature_use", "feature": "reports", "at": at(MONDAY, 23, 59), "session": "s2"},
        {"user": "u3", "type": "feature_use", "feature": "exports", "at": at(MONDAY, 23, 59), "session": "s2"},
    )  # fmt: skip

    written = rebuild_rollups(db_session=db_session, client_ids=[client.id], start=MONDAY, end=MONDAY)

    row = rollups(db_session, client)[MONDAY]
    assert written == 1
    assert (row.daily_active_users, row.weekly_active_users, row.monthly_active_users, row.new_users) == (3, 3, 3, 3)
    # s1, s2, and u2's session-less events as one session
    assert (row.total_sessions, row.total_actions, row.logins) == (3, 6, 2)
    assert row.avg_session_duration_seconds == 70  # (60 + 120 + 30) / 3
    assert row.avg_session_depth == 2.0
    assert row.feature_counts == {"reports": 2, "exports": 1}
    assert row.logins_by_hour == {"9": 1, "14": 1}
    assert row.logins_by_weekday == {"mon": 2}


def test_sessionless_events_count_one_session_per_user_day(db_session: Session, client: Client) -> None:
    add_events(
        db_session,
        client,
        *({"user": user, "at": at(MONDAY, hour)} for user in ("a", "b") for hour in (8, 9, 10)),
        {"user": "a", "at": at(day(1), 8)},
    )

    rebuild_rollups(db_session=db_session, client_ids=[client.id], start=MONDAY, end=day(1))

    rows = rollups(db_session, client)
    assert (rows[MONDAY].total_sessions, rows[MONDAY].total_actions, rows[MONDAY].avg_session_depth) == (2, 6, 3.0)
    assert rows[MONDAY].avg_session_duration_seconds == 0
    assert rows[day(1)].total_sessions == 1


def test_weekly_and_monthly_users_roll_over_their_windows(db_session: Session, client: Client) -> None:
    add_events(
        db_session,
        client,
        {"user": "a", "at": at(day(0))},
        {"user": "a", "at": at(day(3))},
        {"user": "b", "at": at(day(3))},
        {"user": "b", "at": at(day(10))},
    )

    rebuild_rollups(db_session=db_session, client_ids=[client.id], start=day(0), end=day(40))

    rows = rollups(db_session, client)
    series = [
        (rows[day(n)].daily_active_users, rows[day(n)].weekly_active_users, rows[day(n)].monthly_active_users)
        for n in range(41)
    ]
    assert series[0] == (1, 1, 1)
    assert series[3] == (2, 2, 2)
    assert series[9] == (0, 2, 2)  # a's week runs through day 3 + 6
    assert series[10] == (1, 1, 2)
    assert series[16] == (0, 1, 2)
    assert series[17] == (0, 0, 2)
    assert series[32] == (0, 0, 2)  # a's month runs through day 3 + 29
    assert series[33] == (0, 0, 1)
    assert series[39] == (0, 0, 1)
    assert series[40] == (0, 0, 0)
    assert [rows[day(n)].new_users for n in range(41) if rows[day(n)].new_users] == [1, 1]
    assert rows[day(20)].total_sessions == 0
    assert rows[day(20)].avg_session_duration_seconds is None
    assert rows[day(20)].avg_session_depth is None
    assert rows[day(20)].feature_counts == {}


def test_history_before_the_window_feeds_the_windows_but_not_new_users(db_session: Session, client: Client) -> None:
    add_events(
        db_session,
        client,
        {"user": "old", "at": at(day(-90))},  # before the 30-day look-back
        {"user": "recent", "at": at(day(-5))},  # inside the look-back
        {"user": "old", "at": at(day(1))},
        {"user": "recent", "at": at(day(1))},
        {"user": "fresh", "at": at(day(1))},
    )

    rebuild_rollups(db_session=db_session, client_ids=[client.id], start=day(0), end=day(1))

    rows = rollups(db_session, client)
    assert list(rows) == [day(0), day(1)]
    assert (rows[day(0)].daily_active_users, rows[day(0)].weekly_active_users) == (0, 1)
    assert rows[day(0)].monthly_active_users == 1
    assert rows[day(1)].new_users == 1
    assert (rows[day(1)].weekly_active_users, rows[day(1)].monthly_active_users) == (3, 3)


def test_rows_start_at_the_clients_first_event(db_session: Session, factory: Factory, client: Client) -> None:
    quiet_since = factory.client(factory.workspace())
    add_events(db_session, client, {"user": "a", "at": at(day(5))})
    add_events(db_session, quiet_since, {"user": "a", "at": at(day(-100))})
    never = factory.client(factory.workspace())

    written = rebuild_rollups(
        db_session=db_session, client_ids=[client.id, quiet_since.id, never.id], start=day(0), end=day(9)
    )

    assert list(rollups(db_session, client)) == [day(n) for n in range(5, 10)]
    quiet_rows = rollups(db_session, quiet_since)
    assert len(quiet_rows) == 10
    assert {row.monthly_active_users for row in quiet_rows.values()} == {0}
    assert rollups(db_session, never) == {}
    assert written == 15


def test_rebuilding_replaces_rows_in_the_range_only(db_session: Session, client: Client) -> None:
    add_events(db_session, client, {"user": "a", "type": "login", "at": at(day(0))}, {"user": "b", "at": at(day(2))})
    rebuild_rollups(db_session=db_session, client_ids=[client.id], start=day(0), end=day(3))
    before = {d: _metrics(row) for d, row in rollups(db_session, client).items()}
    outside = UsageRollup(client_id=client.id, day=day(10), daily_active_users=7, weekly_active_users=7,
                          monthly_active_users=7)  # fmt: skip
    db_session.add(outside)
    db_session.flush()

    again = rebuild_rollups(db_session=db_session, client_ids=[client.id], start=day(0), end=day(3))

    db_session.expire_all()
    after = rollups(db_session, client)
    assert again == 4
    assert {d: _metrics(row) for d, row in after.items() if d != day(10)} == before
    assert after[day(10)].daily_active_users == 7


def test_none_means_clients_with_events_in_the_window(db_session: Session, factory: Factory, client: Client) -> None:
    earlier_only = factory.client(factory.workspace())
    add_events(db_session, client, {"user": "a", "at": at(day(1))})
    add_events(db_session, earlier_only, {"user": "a", "at": at(day(-3))})

    rebuild_rollups(db_session=db_session, client_ids=None, start=day(0), end=day(1))

    assert list(rollups(db_session, client)) == [day(1)]
    assert rollups(db_session, earlier_only) == {}


def test_a_window_that_ends_before_it_starts_is_refused(db_session: Session) -> None:
    with pytest.raises(ValidationError, match="before it starts"):
        rebuild_rollups(db_session=db_session, client_ids=None, start=day(1), end=day(0))


def test_new_events_reach_existing_rows_up_to_a_month_later(db_session: Session, client: Client) -> None:
    add_events(db_session, client, {"user": "a", "at": at(day(0))})
    rebuild_rollups(db_session=db_session, client_ids=[client.id], start=day(0), end=day(60))

    def end_after(last: int) -> dt.date:
        return rollup_end_after_new_events(db_session=db_session, client_ids=[client.id], last_event_day=day(last))

    assert end_after(5) == day(34)
    assert end_after(50) == day(60)
    assert end_after(70) == day(70)


def test_rolling_users_count_each_user_once_per_day() -> None:
    tracker = RollingUsers(40, users_seen_before=set())
    tracker.add_day(0, {"a"})
    tracker.add_day(1, {"a"})
    tracker.add_day(2, {"a", "b"})

    assert [tracker.counts(n) for n in (0, 1, 2, 8, 9)] == [
        (1, 1, 1, 1),
        (1, 1, 1, 0),
        (2, 2, 2, 1),
        (0, 2, 2, 0),
        (0, 0, 2, 0),
    ]


def test_session_averages_need_sessions() -> None:
    assert session_averages(sessions=0, actions=0, duration=0) == (None, None)
    assert session_averages(sessions=3, actions=10, duration=100) == (33, 3.33)


def _metrics(row: UsageRollup) -> tuple[Any, ...]:
    return (
        row.daily_active_users,
        row.weekly_active_users,
        row.monthly_active_users,
        row.new_users,
        row.total_sessions,
        row.total_actions,
        row.logins,
        row.logins_by_hour,
        row.logins_by_weekday,
        row.feature_counts,
    )


@pytest.mark.parametrize("scan_share", [0.0, 2.0], ids=["table-scan", "index"])
def test_random_events_match_a_naive_count(
    db_session: Session, factory: Factory, monkeypatch: pytest.MonkeyPatch, scan_share: float
) -> None:
    monkeypatch.setattr(rollup_queries, "SCAN_SHARE", scan_share)  # both SQLite access paths agree
    rng = random.Random(11)
    workspace = factory.workspace()
    clients = [factory.client(workspace) for _ in range(3)]
    events = [
        {"client": rng.choice(clients), "user": f"u{rng.randrange(6)}", "at": at(day(rng.randrange(-45, 40)),
         rng.randrange(24)), "type": rng.choice(["login", "page_view"]), "session": rng.choice([None, "s1", "s2"])}
        for _ in range(300)
    ]  # fmt: skip
    for client in clients:
        add_events(db_session, client, *(event for event in events if event["client"] is client))

    rebuild_rollups(db_session=db_session, client_ids=[c.id for c in clients], start=day(0), end=day(39))

    for client in clients:
        mine = [event for event in events if event["client"] is client]
        active = {(event["user"], event["at"].date()) for event in mine}
        first_seen = {user: min(d for u, d in active if u == user) for user, _ in active}
        rows = rollups(db_session, client)
        for n in range(40):
            today = day(n)
            expected = (
                _users_within(active, today, 1),
                _users_within(active, today, 7),
                _users_within(active, today, 30),
                sum(1 for first in first_seen.values() if first == today),
                sum(1 for event in mine if event["at"].date() == today and event["type"] == "login"),
                len({event["session"] or ("-", event["user"]) for event in mine if event["at"].date() == today}),
            )
            row = rows[today]
            got = (row.daily_active_users, row.weekly_active_users, row.monthly_active_users, row.new_users,
                   row.logins, row.total_sessions)  # fmt: skip
            assert got == expected, (client.id, today)


def _users_within(active: set[tuple[str, dt.date]], today: dt.date, days: int) -> int:
    return len({user for user, d in active if today - dt.timedelta(days=days - 1) <= d <= today})
