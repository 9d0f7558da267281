"""Seed 004 activity endpoints: a client's activities (paginated), logging and changing one, the timeline."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from channels.web.api_deps import ClientId, Day, IdempotencyKeyDep, NowDep, id_path
from channels.web.deps import ActorDep, SessionDep
from channels.web.idempotency import scoped_key
from channels.web.pagination import Page, PageDep
from channels.web.schemas.activities import ActivityIn
from channels.web.schemas.errors import ERRORS
from domain.activities.page import activity_page
from domain.activities.schemas import ActivityChanges, ActivityView
from domain.activities.service import log_activity, update_activity
from domain.timeline.schemas import TimelinePage
from domain.timeline.service import client_timeline

router = APIRouter(prefix="/api/v1/client-success", tags=["activities"], responses=ERRORS)
ActivityId = Annotated[int, id_path("activity")]


@router.get("/clients/{client_id}/activities", response_model=Page[ActivityView], summary="List activities")
def list_client_activities(
    client_id: ClientId, session: SessionDep, actor: ActorDep, paging: PageDep
) -> Page[ActivityView]:
    """The client's logged interactions, newest first."""
    rows, total = activity_page(
        db_session=session, actor=actor, client_id=client_id, page=paging.page, limit=paging.limit
    )
    return paging.envelope(rows, total)


@router.post("/clients/{client_id}/activities", response_model=ActivityView, status_code=201, summary="Log activity")
def post_activity(
    client_id: ClientId, body: ActivityIn, session: SessionDep, actor: ActorDep, now: NowDep, key: IdempotencyKeyDep
) -> ActivityView:
    """Log a call, meeting, email...; it moves the client's and contacts' last CSM contact forward.

    With an Idempotency-Key, a retry returns the activity the first attempt logged and writes nothing."""
    return log_activity(
        db_session=session,
        actor=actor,
        client_id=client_id,
        activity_type=body.activity_type,
        subject=body.subject,
        occurred_at=body.occurred_at,
        now=now,
        description=body.description,
        duration_minutes=body.duration_minutes,
        contact_ids=body.client_contacts,
        outcome=body.outcome,
        outcome_notes=body.outcome_notes,
        follow_up_date=body.follow_up_date,
        idempotency_key=scoped_key(actor, "log_activity", key),
    )


@router.put("/activities/{activity_id}", response_model=ActivityView, summary="Update activity")
def put_activity(
    activity_id: ActivityId, changes: ActivityChanges, session: SessionDep, actor: ActorDep, now: NowDep
) -> ActivityView:
    """Change the given fields only."""
    return update_activity(db_session=session, actor=actor, activity_id=activity_id, changes=changes, now=now)


@router.get("/clients/{client_id}/timeline", response_model=TimelinePage, summary="Unified timeline")
def get_timeline(
    client_id: ClientId,
    session: SessionDep,
    actor: ActorDep,
    start: Day | None = None,
    end: Day | None = None,
    types: Annotated[list[str] | None, Query(max_length=20, description="Entry types, e.g. activity, note")] = None,
    text: Annotated[str | None, Query(max_length=200, description="Words that must all appear")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=500, description="next_cursor of the previous page")] = None,
) -> TimelinePage:
    """Activities, notes, tickets, alerts, health changes, milestones, outcomes and engagement events, newest first."""
    return client_timeline(
        db_session=session,
        actor=actor,
        client_id=client_id,
        start=start,
        end=end,
        types=types,
        text=text,
        limit=limit,
        cursor=cursor,
    )
