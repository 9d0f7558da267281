"""Event ingestion from JSON Lines and CSV: idempotency, bad rows with line numbers, side effects."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from domain.clients.models import Client
from domain.enums import EventType
from domain.errors import NotFoundError, ValidationError
from domain.ingest.events import ingest_events
from domain.ingest.writer import BatchWriter
from domain.staff.models import Workspace
from domain.usage.events import event_time_columns, insert_events
from domain.usage.models import EngagementEvent, UsageRollup
from tests.factories import Factory


def event(number: int, **overrides: Any) -> dict[str, Any]:
    return {
        "event_id": f"evt-{number}",
        "client_external_id": "ORG-1",
        "user_id": "u1",
        "event_type": "page_view",
        "occurred_at": f"2025-03-0{1 + number % 3}T10:00:00Z",
        **overrides,
    }


def write_jsonl(tmp_path: Path, *lines: dict[str, Any] | str, name: str = "events.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n")
    return path


def stored_events(db_session: Session, client: Client) -> list[EngagementEvent]:
    query = select(EngagementEvent).where(EngagementEvent.client_id == client.id).order_by(EngagementEvent.event_id)
    return list(db_session.scalars(query))


@pytest.fixture
def workspace(factory: Factory) -> Workspace:
    return factory.workspace()


@pytest.fixture
def client(factory: Factory, workspace: Workspace) -> Client:
    return factory.client(workspace, name="Acme Corp", external_id="ORG-1")


def test_loading_the_same_file_twice_adds_nothing(
    db_session: Session, workspace: Workspace, client: Client, tmp_path: Path
) -> None:
    path = write_jsonl(
        tmp_path,
        event(1),
        event(2, client_external_id=None, client_name="acme corp"),
        event(3, client_external_id=None, client=client.id, event_type="login"),
        event(4, client_external_id=None, client="ORG-1", feature="reports", event_type="feature_use"),
    )

    first = ingest_events(db_session=db_session, workspace_id=workspace.id, path=path)
    second = ingest_events(db_session=db_session, workspace_id=workspace.id, path=path)

    assert (first.rows_read, first.inserted, first.duplicates, first.bad_rows) == (4, 4, 0, [])
    assert first.clients_touched == 1
    assert (first.rollup_start, first.rollup_end, first.rollup_rows) == (dt.date(2025, 3, 1), dt.date(2025, 3, 3), 3)
    assert (second.rows_read, second.inserted, second.duplicates, second.rollup_rows) == (4, 0, 4, 0)
    assert second.clients_touched == 0
    assert len(stored_events(db_session, client)) == 4


def test_bad_rows_are_reported_by_line_and_good_rows_kept(
    db_session: Session, workspace: Workspace, client: Client, tmp_path: Path
) -> None:
    path = write_jsonl(
        tmp_path,
        event(1),
        '{"event_id": "evt-2", ',
        event(3, event_id=None),
        event(4, client_external_id="ORG-404"),
        event(5, duration_seconds="long"),
        event(6, occurred_at="last tuesday"),
        event(7, event_type="teleported"),
        event(8, duration_seconds=-5),
        "",
        "[1, 2]",
        event(9, client_external_id=None),
        event(10, user_id="a\x1fb"),
        event(11, duration_seconds=30, session_id="s-1"),
        event(12, occurred_at="1970-01-01T00:00:00Z"),
    )

    report = ingest_events(db_session=db_session, workspace_id=workspace.id, path=path)

    assert (report.rows_read, report.inserted, report.bad_row_count) == (13, 2, 11)
    assert [(bad.line, bad.error) for bad in report.bad_rows] == [
        (2, "bad JSON: Expecting property name enclosed in double quotes at column 24"),
        (3, "event_id: input should be a valid string (got None)"),
        (4, "unknown client external id 'ORG-404'"),
        (5, "duration_seconds: input should be a valid integer, unable to parse string as an integer (got 'long')"),
        (6, "occurred_at: not an ISO 8601 timestamp: 'last tuesday'"),
        (7, "event_type: unknown event type 'teleported' (expected one of login, page_view, feature_use, "
            "task_completed, content_generated, visual_created, voice_interaction, insight_reviewed, "
            "export_downloaded, settings_updated, feedback_given)"),
        (8, "duration_seconds: input should be greater than or equal to 0 (got -5)"),
        (10, "bad JSON: expected an object, got list"),
        (11, "missing field 'client' (or client_id, client_external_id, client_name)"),
        (12, "user_id: must not contain control characters"),
        (14, "occurred_at: '1970-01-01T00:00:00Z' is outside 2000..2099"),
    ]  # fmt: skip
    assert [stored.event_id for stored in stored_events(db_session, client)] == ["evt-1", "evt-11"]


def test_csv_files_load_with_friendly_headers_and_json_properties(
    db_session: Session, workspace: Workspace, client: Client, tmp_path: Path
) -> None:
    path = tmp_path / "events.csv"
    path.write_text(
        "Event ID,Client,User ID,Event Type,Occurred At,Feature,Session ID,Duration Seconds,Properties\n"
        'c-1,Acme Corp,u1,feature_use,2025-03-03T23:30:00-02:00,reports,s1,45,"{""source"": ""web""}"\n'
        "c-2,ORG-1,u2,LOGIN,2025-03-03 08:00:00,,,,\n"
        'c-3,ORG-1,u2,login,2025-03-03 09:00:00,,,,"not json"\n'
        "c-4,ORG-1,u2,login,2025-03-03 09:00:00,,,,,extra\n"
    )

    report = ingest_events(db_session=db_session, workspace_id=workspace.id, path=path)

    assert report.inserted == 2
    assert [(bad.line, bad.error) for bad in report.bad_rows] == [
        (4, "properties: not valid JSON"),
        (5, "10 cells but the header has 9 columns"),
    ]
    first, second = stored_events(db_session, client)
    assert first.occurred_at == dt.datetime(2025, 3, 4, 1, 30, tzinfo=dt.UTC)  # offsets become UTC
    assert (first.occurred_on, first.occurred_hour) == (dt.date(2025, 3, 4), 1)
    assert (first.feature_key, first.session_id, first.duration_seconds) == ("reports", "s1", 45)
    assert first.properties == {"source": "web"}
    assert second.occurred_at == dt.datetime(2025, 3, 3, 8, tzinfo=dt.UTC)  # naive means UTC
    assert second.properties is None


@pytest.mark.parametrize("name", ["events.json", "events.txt", "events"])
def test_unknown_extensions_are_refused(db_session: Session, workspace: Workspace, tmp_path: Path, name: str) -> None:
    path = write_jsonl(tmp_path, event(1), name=name)
    with pytest.raises(ValidationError, match=re.escape("expected one of .jsonl, .ndjson, .json-lines, .csv")):
        ingest_events(db_session=db_session, workspace_id=workspace.id, path=path)


def test_other_extensions_of_json_lines_are_read(
    db_session: Session, workspace: Workspace, client: Client, tmp_path: Path
) -> None:
    for number, name in enumerate(["a.ndjson", "b.json-lines", "c.JSONL"]):
        path = write_jsonl(tmp_path, event(number), name=name)
        assert ingest_events(db_session=db_session, workspace_id=workspace.id, path=path).inserted == 1


def test_clients_of_other_workspaces_are_unknown(
    db_session: Session, factory: Factory, workspace: Workspace, tmp_path: Path
) -> None:
    stranger = factory.client(factory.workspace())
    path = write_jsonl(tmp_path, event(1, client_external_id=None, client_id=stranger.id))

    report = ingest_events(db_session=db_session, workspace_id=workspace.id, path=path)

    assert [bad.error for bad in report.bad_rows] == [f"unknown client id {stranger.id}"]
    with pytest.raises(NotFoundError):
        ingest_events(db_session=db_session, workspace_id=-1, path=path)


def test_duplicates_inside_one_file_count_once(
    db_session: Session, workspace: Workspace, client: Client, tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path, event(1), event(1), event(2), event(1))

    report = ingest_events(db_session=db_session, workspace_id=workspace.id, path=path, batch_size=2)

    assert (report.inserted, report.duplicates) == (2, 2)


def test_last_seen_marks_move_forward_only(
    db_session: Session, factory: Factory, workspace: Workspace, client: Client, tmp_path: Path
) -> None:
    champion = factory.contact(client, platform_user_ref="u1")
    bystander = factory.contact(client, platform_user_ref="u2")
    recent = write_jsonl(
        tmp_path,
        event(1, event_type="login", occurred_at="2025-03-02T09:00:00Z"),
        event(2, event_type="login", occurred_at="2025-03-01T09:00:00Z"),
        event(3, user_id="u2", occurred_at="2025-03-03T18:00:00Z"),
        name="recent.jsonl",
    )
    older = write_jsonl(tmp_path, event(4, event_type="login", occurred_at="2025-01-01T09:00:00Z"), name="old.jsonl")

    ingest_events(db_session=db_session, workspace_id=workspace.id, path=recent)
    ingest_events(db_session=db_session, workspace_id=workspace.id, path=older)

    assert client.last_activity_at == dt.datetime(2025, 3, 3, 18, tzinfo=dt.UTC)
    assert champion.last_platform_login == dt.datetime(2025, 3, 2, 9, tzinfo=dt.UTC)
    assert bystander.last_platform_login is None  # u2 never logged in


def test_rollups_cover_only_clients_with_new_events(
    db_session: Session, factory: Factory, workspace: Workspace, client: Client, tmp_path: Path
) -> None:
    other = factory.client(workspace, name="Globex")
    sentinel = UsageRollup(client_id=other.id, day=dt.date(2025, 3, 2), daily_active_users=9, weekly_active_users=9,
                           monthly_active_users=9)  # fmt: skip
    db_session.add(sentinel)
    db_session.flush()
    stages: set[str] = set()
    path = write_jsonl(tmp_path, event(1), event(2, user_id="u2", event_type="login"))

    report = ingest_events(
        db_session=db_session,
        workspace_id=workspace.id,
        path=path,
        progress=lambda stage, _done, _total: stages.add(stage),
    )

    rows = db_session.scalars(select(UsageRollup).where(UsageRollup.client_id == client.id).order_by(UsageRollup.day))
    assert [(row.day, row.daily_active_users, row.logins) for row in rows] == [
        (dt.date(2025, 3, 2), 1, 0),
        (dt.date(2025, 3, 3), 1, 1),
    ]
    assert report.rollup_rows == 2
    others = select(func.count()).select_from(UsageRollup).where(UsageRollup.client_id == other.id)
    assert db_session.scalar(others) == 1
    assert stages == {"events", "rollups"}


def test_bulk_inserted_events_are_stored_as_the_orm_stores_them(db_session: Session, client: Client) -> None:
    at = dt.datetime(2025, 3, 3, 23, 30, 15, 123456, tzinfo=dt.timezone(dt.timedelta(hours=-2)))
    occurred_at, occurred_on, occurred_hour = event_time_columns(at)
    values = {"workspace_id": client.workspace_id, "client_id": client.id, "user_ref": "u1",
              "event_type": "feature_use", "feature_key": "reports", "occurred_at": occurred_at,
              "occurred_on": occurred_on, "occurred_hour": occurred_hour, "session_id": "s1",
              "duration_seconds": 12, "properties": {"source": "web", "n": [1, 2]}}  # fmt: skip
    db_session.add(EngagementEvent(event_id="orm", **{**values, "event_type": EventType.FEATURE_USE}))
    db_session.flush()

    assert insert_events(db_session=db_session, rows=[{"event_id": "bulk", **values}]) == 1

    stored = db_session.execute(
        text("SELECT * FROM engagement_events WHERE event_id IN ('orm', 'bulk') ORDER BY event_id DESC")
    ).mappings()
    orm_row, bulk_row = ({key: value for key, value in row.items() if key not in {"id", "event_id"}} for row in stored)
    assert bulk_row == orm_row


def test_bulk_insert_skips_stored_events_wherever_they_sit_in_a_batch(db_session: Session, client: Client) -> None:
    # PostgreSQL copies a batch straight in unless its first event is stored; a later conflict falls back.
    occurred_at, occurred_on, occurred_hour = event_time_columns(dt.datetime(2025, 3, 3, 9, tzinfo=dt.UTC))
    values = {"workspace_id": client.workspace_id, "client_id": client.id, "user_ref": "u1", "event_type": "login",
              "feature_key": None, "occurred_at": occurred_at, "occurred_on": occurred_on,
              "occurred_hour": occurred_hour, "session_id": None, "duration_seconds": None,
              "properties": None}  # fmt: skip

    def rows(*event_ids: str) -> list[dict[str, object]]:
        return [{"event_id": event_id, **values} for event_id in event_ids]

    assert insert_events(db_session=db_session, rows=rows("a")) == 1
    assert insert_events(db_session=db_session, rows=rows("b", "a", "c")) == 2
    assert insert_events(db_session=db_session, rows=rows("a", "d")) == 1
    assert insert_events(db_session=db_session, rows=rows("e", "e")) == 1
    stored = db_session.scalars(select(EngagementEvent.event_id).where(EngagementEvent.client_id == client.id))
    assert sorted(stored) == ["a", "b", "c", "d", "e"]


@pytest.mark.parametrize("threaded", [True, False])
def test_batch_writer_keeps_order_and_raises_the_first_error(threaded: bool) -> None:
    written: list[int] = []

    def write(batch: int) -> None:
        if batch == 3:
            raise RuntimeError("disk full")
        written.append(batch)

    def write_all() -> None:
        with BatchWriter(write, threaded=threaded) as writer:
            for batch in range(6):
                writer.submit(batch)

    with pytest.raises(RuntimeError, match="disk full"):
        write_all()
    assert written == [0, 1, 2]
