"""POST /api/v1/events: engagement events in batches, idempotent by event_id (a retried batch adds nothing)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from channels.web.deps import ActorDep, SessionDep
from channels.web.schemas.errors import ERRORS
from domain.ingest.event_batch import MAX_BATCH, ingest_event_batch
from domain.ingest.reports import IngestReport

router = APIRouter(prefix="/api/v1", tags=["events"], responses=ERRORS)


class EventBatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    events: list[dict[str, Any]] = Field(
        min_length=1,
        max_length=MAX_BATCH,
        description=(
            "Each: event_id, user_ref, event_type (login, page_view, feature_use, ...), occurred_at (ISO 8601), "
            "and the client as client_id, client_external_id or client_name; optional feature_key, session_id, "
            "duration_seconds, properties. Bad events are reported by position and skipped."
        ),
    )


@router.post("/events", response_model=IngestReport, summary="Ingest engagement events")
def post_events(body: EventBatchIn, session: SessionDep, actor: ActorDep) -> IngestReport:
    """Store new events, skip ones already stored (by event_id), rebuild the affected usage rollups."""
    return ingest_event_batch(db_session=session, actor=actor, events=body.events)
