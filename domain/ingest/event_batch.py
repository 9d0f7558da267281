"""Engagement events posted in a request (POST /api/v1/events): the file loader's rules, on a list of records.

Idempotent by event_id like file ingestion: a retried batch inserts nothing twice. Who may post is
decided here too: events move scores, so only roles that see the whole tenant may send them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from domain.access import Actor, get_visible_client
from domain.errors import AccessDeniedError, ValidationError
from domain.ingest.events import EventLoader
from domain.ingest.reports import IngestReport
from domain.ingest.sources import SourceRecord
from domain.progress import no_progress
from domain.usage.events import bulk_insert_cache

MAX_BATCH = 1000


def ingest_event_batch(
    *, db_session: Session, actor: Actor, events: Sequence[Mapping[str, Any]], client_id: int | None = None
) -> IngestReport:
    """Validate and store a batch of events; bad ones are reported by position (1-based) and skipped.

    With `client_id` (seed 001's track-event) every event is that client's, and seeing the client is enough.
    """
    if client_id is not None:
        get_visible_client(db_session, actor, client_id)
        events = [{**event, "client_id": client_id, "client": None, "client_name": None, "client_external_id": None}
                  for event in events]  # fmt: skip
    elif not actor.sees_whole_tenant:
        raise AccessDeniedError("posting engagement events needs a tenant-wide role (admin, VP or senior CSM)")
    if not 1 <= len(events) <= MAX_BATCH:
        raise ValidationError(f"send 1 to {MAX_BATCH} events per request, not {len(events)}")
    with bulk_insert_cache(db_session):
        loader = EventLoader(db_session, actor.workspace_id, MAX_BATCH)
        for position, fields in enumerate(events, start=1):
            batch = loader.take(SourceRecord(line=position, fields=dict(fields)))
            if batch is not None:
                loader.write(batch)
        rest = loader.take_rest()
        if rest:
            loader.write(rest)
        return loader.finish(no_progress)
