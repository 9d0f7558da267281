"""Load engagement events from JSON Lines or CSV files: streamed, batched, idempotent by event_id."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pydantic
from sqlalchemy.orm import Session

from domain.errors import NotFoundError
from domain.ingest.activity import ActivityMarks
from domain.ingest.client_lookup import ClientDirectory, UnknownClientError, load_contact_user_refs
from domain.ingest.event_fast import fast_event
from domain.ingest.event_rows import EventRow, describe_errors
from domain.ingest.reports import IngestReport
from domain.ingest.sources import RecordFile, SourceRecord
from domain.ingest.writer import BatchWriter
from domain.progress import ProgressCallback, no_progress
from domain.staff.models import Workspace
from domain.usage.events import bulk_insert_cache, event_time_columns, insert_events
from domain.usage.rollups import rebuild_rollups, rollup_end_after_new_events


def ingest_events(
    *,
    db_session: Session,
    workspace_id: int,
    path: Path,
    batch_size: int = 5000,
    progress: ProgressCallback | None = None,
) -> IngestReport:
    """Load events from a .jsonl/.ndjson/.json-lines or .csv file into the workspace.

    Bad rows are reported with their line and skipped; events whose event_id is already stored are
    skipped, so loading a file twice adds nothing. Rollups are rebuilt for the clients and days that
    got new events (clients_touched; in a batch that was partly stored already, all of its clients),
    and client and contact last-seen marks move forward.
    """
    if db_session.get(Workspace, workspace_id) is None:
        raise NotFoundError(f"no workspace with id {workspace_id}")
    source = RecordFile(path)
    report_progress = progress or no_progress
    with bulk_insert_cache(db_session):
        loader = EventLoader(db_session, workspace_id, batch_size)
        threaded = db_session.get_bind().dialect.name == "postgresql"
        with BatchWriter(loader.write, threaded=threaded) as writer:
            for record in source:
                batch = loader.take(record)
                if batch is not None:
                    writer.submit(batch)
                    report_progress("events", source.bytes_read, source.total_bytes)
            writer.submit(loader.take_rest())
        report_progress("events", source.total_bytes, source.total_bytes)
        return loader.finish(report_progress)


class EventLoader:
    """Validates records into insert batches and keeps the running report."""

    def __init__(self, db_session: Session, workspace_id: int, batch_size: int) -> None:
        self.db_session = db_session
        self.workspace_id = workspace_id
        self.batch_size = max(batch_size, 1)
        self.directory = ClientDirectory.load(db_session=db_session, workspace_id=workspace_id)
        self.marks = ActivityMarks(load_contact_user_refs(db_session=db_session, workspace_id=workspace_id))
        self.report = IngestReport()
        self.valid_rows = 0
        self.inserted = 0
        self.batch: list[dict[str, Any]] = []
        self.new_clients: set[int] = set()
        self.new_days: set[dt.date] = set()

    def take(self, record: SourceRecord) -> list[dict[str, Any]] | None:
        """Add one record; returns the batch it filled, to be written."""
        self.report.rows_read += 1
        values = record.error if record.fields is None else self._values(record.fields)
        if not isinstance(values, dict):
            self.report.reject(record.line, values or "unreadable row")
            return None
        self.valid_rows += 1
        self.marks.see(values["client_id"], values["user_ref"], values["event_type"], values["occurred_at"])
        self.batch.append(values)
        return self.take_rest() if len(self.batch) >= self.batch_size else None

    def take_rest(self) -> list[dict[str, Any]]:
        batch, self.batch = self.batch, []
        return batch

    def write(self, batch: list[dict[str, Any]]) -> None:
        """Insert one batch (on the writer thread: only the counts below are shared, read after it ends)."""
        inserted = insert_events(db_session=self.db_session, rows=batch)
        self.inserted += inserted
        if inserted:
            # Which rows of a partly stored batch were new is not known; rebuilding the rollups of
            # every client and day in it is correct, only a little more work.
            for row in batch:
                self.new_clients.add(row["client_id"])
                self.new_days.add(row["occurred_on"])

    def finish(self, progress: ProgressCallback) -> IngestReport:
        self.marks.apply(db_session=self.db_session)
        report = self.report
        report.inserted = self.inserted
        report.duplicates = self.valid_rows - report.inserted
        report.clients_touched = len(self.new_clients)
        if self.new_days:
            report.rollup_start = min(self.new_days)
            report.rollup_end = rollup_end_after_new_events(
                db_session=self.db_session, client_ids=self.new_clients, last_event_day=max(self.new_days)
            )
            report.rollup_rows = rebuild_rollups(
                db_session=self.db_session,
                client_ids=self.new_clients,
                start=report.rollup_start,
                end=report.rollup_end,
                progress=progress,
            )
        return report

    def _values(self, fields: dict[str, Any]) -> dict[str, Any] | str:
        """The insert values of a valid row, or why the row is bad."""
        row = fast_event(fields)
        try:
            if row is None:
                row = EventRow.model_validate(fields).__dict__  # a frozen model: read, never written
            client_id = self.directory.resolve(
                client_id=row["client_id"],
                external_id=row["client_external_id"],
                name=row["client_name"],
                client=row["client"],
            )
        except pydantic.ValidationError as exc:
            return describe_errors(exc)
        except UnknownClientError as exc:
            return str(exc)
        occurred_at, occurred_on, occurred_hour = event_time_columns(row["occurred_at"])
        return {
            "workspace_id": self.workspace_id,
            "event_id": row["event_id"],
            "client_id": client_id,
            "user_ref": row["user_ref"],
            "event_type": row["event_type"].value,
            "feature_key": row["feature_key"],
            "occurred_at": occurred_at,
            "occurred_on": occurred_on,
            "occurred_hour": occurred_hour,
            "session_id": row["session_id"],
            "duration_seconds": row["duration_seconds"],
            "properties": row["properties"],
        }
