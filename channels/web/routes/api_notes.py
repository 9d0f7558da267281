"""Seed 004 note endpoints: a client's notes (others' private notes never shown), add, change, delete."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from channels.web.api_deps import ClientId, IdempotencyKeyDep, NowDep, id_path
from channels.web.deps import ActorDep, SessionDep
from channels.web.idempotency import scoped_key
from channels.web.pagination import Page, PageDep
from channels.web.schemas.activities import NoteIn
from channels.web.schemas.errors import ERRORS
from domain.activities.notes import add_note, delete_note, list_notes, update_note
from domain.activities.schemas import NoteChanges, NoteView

router = APIRouter(prefix="/api/v1/client-success", tags=["notes"], responses=ERRORS)
NoteId = Annotated[int, id_path("note")]


@router.get("/clients/{client_id}/notes", response_model=Page[NoteView], summary="List notes")
def get_notes(client_id: ClientId, session: SessionDep, actor: ActorDep, paging: PageDep) -> Page[NoteView]:
    """Newest first; private notes only when the caller wrote them."""
    return paging.cut(list_notes(db_session=session, actor=actor, client_id=client_id).notes)


@router.post("/clients/{client_id}/notes", response_model=NoteView, status_code=201, summary="Add note")
def post_note(
    client_id: ClientId, body: NoteIn, session: SessionDep, actor: ActorDep, now: NowDep, key: IdempotencyKeyDep
) -> NoteView:
    return add_note(
        db_session=session,
        actor=actor,
        client_id=client_id,
        content=body.content,
        now=now,
        title=body.title,
        note_type=body.note_type,
        is_private=body.is_private,
        idempotency_key=scoped_key(actor, "add_note", key),
    )


@router.put("/notes/{note_id}", response_model=NoteView, summary="Update note")
def put_note(note_id: NoteId, changes: NoteChanges, session: SessionDep, actor: ActorDep, now: NowDep) -> NoteView:
    return update_note(db_session=session, actor=actor, note_id=note_id, changes=changes, now=now)


@router.delete("/notes/{note_id}", response_model=NoteView, summary="Delete note")
def remove_note(note_id: NoteId, session: SessionDep, actor: ActorDep) -> NoteView:
    """Delete a note; returns it as it was."""
    return delete_note(db_session=session, actor=actor, note_id=note_id)
