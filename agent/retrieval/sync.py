"""Keeping the timeline index in step with the database, which stays the source of truth.

- `after_commit`: the hook entry points call once a transaction that wrote has committed; it indexes what
  changed since the given moment and drops what was deleted. It never raises: a failed index write is
  logged, and `verify`/`rebuild` (or the next full sync) repair it.
- `sync_since`: the incremental step behind it (changed source rows, their vanished sibling entries,
  deleted notes).
- `sync_workspace`: a full reconcile (embed the missing and stale, delete the extra); a search runs it
  when a workspace was never built.
- `rebuild`: drop a workspace's vectors and embed every entry again.
- `verify`: compare entry ids and content hashes between the database and the index, without writing.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from agent.retrieval.config import RetrievalConfig
from agent.retrieval.documents import chroma_id, entry_id_of, indexed_entry
from agent.retrieval.index import TimelineIndex, UpsertCounts, open_index
from domain.activities.models import Note
from domain.clients.models import Client
from domain.settings import Settings
from domain.staff.models import Workspace
from domain.timeline.schemas import TimelineEntry
from domain.timeline.service import iter_timeline_entries

logger = logging.getLogger(__name__)

CLOCK_MARGIN = dt.timedelta(minutes=15)  # rows stamped by the wall clock during the turn, not its `now`
ID_CHUNK = 500
SAMPLE = 20  # ids listed per drift category in a report


class IndexTooLargeError(RuntimeError):
    """A missing index is too large to build inside a search; `csagent index rebuild` builds it."""


@dataclass(slots=True)
class SyncReport:
    workspace_id: int
    scanned: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0

    def count(self, counts: UpsertCounts) -> None:
        self.added += counts.added
        self.updated += counts.updated
        self.unchanged += counts.unchanged

    @property
    def changed(self) -> int:
        return self.added + self.updated + self.removed


@dataclass(slots=True)
class DriftReport:
    """How the index differs from the database for one workspace (ids are entry ids, first few of each)."""

    workspace_id: int
    database_entries: int
    index_entries: int
    missing: list[str] = field(default_factory=list)  # in the database, not in the index
    stale: list[str] = field(default_factory=list)  # in both, but the index holds older content
    extra: list[str] = field(default_factory=list)  # in the index, gone from the database
    missing_count: int = 0
    stale_count: int = 0
    extra_count: int = 0
    built_at: str | None = None

    @property
    def in_sync(self) -> bool:
        return not (self.missing_count or self.stale_count or self.extra_count)


# ------------------------------------------------------------------------------------------- primitives


def index_entries(index: TimelineIndex, entries: Iterable[TimelineEntry]) -> UpsertCounts:
    """Embed and store these entries (unchanged ones are skipped by content hash)."""
    return index.upsert([indexed_entry(entry) for entry in entries])


def sync_since(*, db_session: Session, index: TimelineIndex, workspace_id: int, since: dt.datetime) -> SyncReport:
    """Index the entries of rows created or changed since `since`, and drop entries that no longer exist.

    An entry vanishes when its row is deleted (notes) or when its row changed so that it no longer produces
    it (a reopened ticket has no "closed" entry): both are removed here.
    """
    started = time.perf_counter()
    report = SyncReport(workspace_id)
    touched: dict[str, set[int]] = defaultdict(set)
    produced: set[str] = set()
    for batch in iter_timeline_entries(db_session=db_session, workspace_id=workspace_id, since=since):
        report.scanned += len(batch)
        report.count(index_entries(index, batch))
        for entry in batch:
            touched[entry.source_type].add(entry.source_id)
            produced.add(chroma_id(workspace_id, entry.entry_id))
    vanished = _vanished_siblings(index, workspace_id, touched, produced) + _deleted_notes(
        db_session, index, workspace_id
    )
    report.removed = index.delete(vanished) if vanished else 0
    report.seconds = time.perf_counter() - started
    return report


def _vanished_siblings(
    index: TimelineIndex, workspace_id: int, touched: dict[str, set[int]], produced: set[str]
) -> list[str]:
    stale: list[str] = []
    for source_type, source_ids in touched.items():
        ordered = sorted(source_ids)
        for start in range(0, len(ordered), ID_CHUNK):
            where = {"$and": [{"source_type": source_type}, {"source_id": {"$in": ordered[start : start + ID_CHUNK]}}]}
            stale.extend(record_id for record_id, _ in index.records(workspace_id, where) if record_id not in produced)
    return stale


def _deleted_notes(db_session: Session, index: TimelineIndex, workspace_id: int) -> list[str]:
    """Indexed notes whose row is gone (notes are the timeline rows users delete)."""
    existing = set(
        db_session.scalars(
            select(Note.id).join(Client, Client.id == Note.client_id).where(Client.workspace_id == workspace_id)
        )
    )
    return [
        record_id
        for record_id, metadata in index.records(workspace_id, {"source_type": "note"})
        if int(metadata["source_id"]) not in existing
    ]


def sync_workspace(
    *, db_session: Session, index: TimelineIndex, workspace_id: int, limit: int | None = None
) -> SyncReport:
    """Full reconcile: every database entry indexed with current content, every extra record deleted.

    With `limit`, gives up (IndexTooLargeError) before embedding anything once the workspace turns out to
    hold more entries than that; a search uses this so it never blocks for minutes.
    """
    started = time.perf_counter()
    report = SyncReport(workspace_id)
    entries = _all_entries(db_session, workspace_id, limit)
    produced: set[str] = set()
    for start in range(0, len(entries), 500):
        batch = entries[start : start + 500]
        report.scanned += len(batch)
        report.count(index_entries(index, batch))
        produced.update(chroma_id(workspace_id, entry.entry_id) for entry in batch)
    extra = [record_id for record_id, _ in index.records(workspace_id) if record_id not in produced]
    report.removed = index.delete(extra) if extra else 0
    index.set_built(workspace_id, dt.datetime.now(dt.UTC))
    report.seconds = time.perf_counter() - started
    return report


def _all_entries(db_session: Session, workspace_id: int, limit: int | None) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    for batch in iter_timeline_entries(db_session=db_session, workspace_id=workspace_id):
        entries.extend(batch)
        if limit is not None and len(entries) > limit:
            raise IndexTooLargeError(
                f"workspace {workspace_id} has more than {limit:,} timeline entries; run `csagent index rebuild`"
            )
    return entries


def rebuild(
    *, db_session: Session, index: TimelineIndex, workspace_id: int, progress: Callable[[int], None] | None = None
) -> SyncReport:
    """Drop the workspace's vectors and embed every timeline entry again."""
    started = time.perf_counter()
    report = SyncReport(workspace_id)
    report.removed = index.drop_workspace(workspace_id)
    for batch in iter_timeline_entries(db_session=db_session, workspace_id=workspace_id):
        report.scanned += len(batch)
        report.count(index_entries(index, batch))
        if progress is not None:
            progress(len(batch))
    index.set_built(workspace_id, dt.datetime.now(dt.UTC))
    report.seconds = time.perf_counter() - started
    return report


def verify(*, db_session: Session, index: TimelineIndex, workspace_id: int) -> DriftReport:
    """Compare the database's entries with the index's records by entry id and content hash."""
    expected: dict[str, str] = {}
    for batch in iter_timeline_entries(db_session=db_session, workspace_id=workspace_id):
        for entry in batch:
            item = indexed_entry(entry)
            expected[item.chroma_id] = item.content_hash
    stored = {record_id: str(metadata.get("content_hash", "")) for record_id, metadata in index.records(workspace_id)}
    missing = sorted(entry_id_of(key) for key in expected.keys() - stored.keys())
    extra = sorted(entry_id_of(key) for key in stored.keys() - expected.keys())
    stale = sorted(entry_id_of(key) for key in expected.keys() & stored.keys() if expected[key] != stored[key])
    return DriftReport(
        workspace_id=workspace_id,
        database_entries=len(expected),
        index_entries=len(stored),
        missing=missing[:SAMPLE],
        stale=stale[:SAMPLE],
        extra=extra[:SAMPLE],
        missing_count=len(missing),
        stale_count=len(stale),
        extra_count=len(extra),
        built_at=index.built_at(workspace_id),
    )


def workspace_ids(db_session: Session) -> list[int]:
    return list(db_session.scalars(select(Workspace.id).order_by(Workspace.id)))


# ------------------------------------------------------------------------------------------ entry points


def after_commit(
    settings: Settings, sessions: Callable[[], Session], workspace_id: int, since: dt.datetime
) -> SyncReport | None:
    """Index what a committed transaction wrote. Call it after the commit, only when something was written.

    `since` is when the transaction started, on the clock its writes were stamped with (a turn's `now`);
    rows stamped by the wall clock are covered too. Returns None (and logs) when the index could not be
    updated: the write stands, and `csagent index verify` shows the drift until the next sync repairs it.
    """
    since = min(since, dt.datetime.now(dt.UTC)) - CLOCK_MARGIN
    try:
        index = open_index(RetrievalConfig.from_settings(settings))
        with sessions() as session:
            if index.built_at(workspace_id) is None:
                return None  # never built: the first search builds it whole, with these rows in it
            report = sync_since(db_session=session, index=index, workspace_id=workspace_id, since=since)
    except Exception:
        logger.warning("timeline index not updated after commit (workspace %s)", workspace_id, exc_info=True)
        return None
    if report.changed:
        logger.info(
            "timeline index: %s added, %s updated, %s removed in %.2fs",
            report.added,
            report.updated,
            report.removed,
            report.seconds,
        )
    return report
