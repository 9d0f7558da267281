"""Free-form client notes (seed 004 ClientNote): add, list, change, delete.

A private note exists for its author only: to anyone else it is not found, whatever their role. A note
may be changed or deleted by its author, or by an ADMIN when it is not private; only the author may
make it private or public. Every change is audited, private text excepted (see views.note_snapshot).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_
from sqlalchemy.orm import Session

from domain.access import Actor, can_see_note, get_visible_client, visible_notes_clause
from domain.activities import rules
from domain.activities.models import Note
from domain.activities.schemas import NoteChanges, NoteList, NoteView
from domain.activities.views import load_note_views, note_rows, note_snapshot
from domain.audit import find_idempotent_result, record_audit, remember_idempotent_result
from domain.clients.models import Client
from domain.enums import NoteType, Role
from domain.errors import AccessDeniedError, ConflictError, NotFoundError, ValidationError


def add_note(
    *,
    db_session: Session,
    actor: Actor,
    client_id: int,
    content: str,
    now: dt.datetime,
    title: str | None = None,
    note_type: NoteType = NoteType.GENERAL,
    is_private: bool = False,
    idempotency_key: str | None = None,
) -> NoteView:
    """Add a note to a client; a private one is visible to you alone."""
    if idempotency_key:
        earlier = find_idempotent_result(db_session, workspace_id=actor.workspace_id, key=idempotency_key)
        if earlier is not None:
            if "note_id" not in earlier:
                raise ConflictError("this request id was already used for a different kind of change")
            return _view(db_session, _load(db_session, actor, int(earlier["note_id"]))[0].id)
    client = get_visible_client(db_session, actor, client_id)
    text, heading = rules.clean_note(content, title)
    note = Note(
        client_id=client.id,
        title=heading,
        content=text,
        note_type=rules.as_choice(NoteType, note_type, "note type"),
        is_private=bool(is_private),
        created_by_id=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    db_session.add(note)
    db_session.flush()
    _audit(db_session, actor, "create", note, None, note_snapshot(note))
    if idempotency_key:
        remember_idempotent_result(
            db_session,
            workspace_id=actor.workspace_id,
            key=idempotency_key,
            operation="add_note",
            result={"note_id": note.id},
        )
        db_session.flush()
    return _view(db_session, note.id)


def list_notes(*, db_session: Session, actor: Actor, client_id: int) -> NoteList:
    """List a client's notes, newest first; other people's private notes are left out."""
    client = get_visible_client(db_session, actor, client_id)
    query = note_rows(and_(Note.client_id == client.id, visible_notes_clause(actor)))
    notes = load_note_views(db_session, query.order_by(Note.created_at.desc(), Note.id.desc()))
    return NoteList(client_id=client.id, client_name=client.name, notes=notes)


def update_note(*, db_session: Session, actor: Actor, note_id: int, changes: NoteChanges, now: dt.datetime) -> NoteView:
    """Change the given fields of a note; only the author may change a private note or its privacy."""
    note, _client = _load(db_session, actor, note_id)
    _check_may_change(actor, note)
    given: dict[str, Any] = {name: getattr(changes, name) for name in changes.model_fields_set}
    if "is_private" in given and given["is_private"] is not None and note.created_by_id != actor.user_id:
        raise AccessDeniedError("only the author of a note can make it private or public")
    for name in ("content", "note_type", "is_private"):
        if name in given and given[name] is None:
            raise ValidationError(f"a note's {name.replace('_', ' ')} cannot be cleared")
    content, title = rules.clean_note(given.get("content", note.content), given.get("title", note.title))
    before, fields_before = note_snapshot(note), _fields(note)
    note.content, note.title = content, title
    if "note_type" in given:
        note.note_type = NoteType(given["note_type"])
    if "is_private" in given:
        note.is_private = bool(given["is_private"])
    if _fields(note) != fields_before:
        note.updated_at = now
        db_session.flush()
        _audit(db_session, actor, "update", note, before, note_snapshot(note))
    return _view(db_session, note.id)


def delete_note(*, db_session: Session, actor: Actor, note_id: int) -> NoteView:
    """Delete a note; returns it as it was."""
    note, _client = _load(db_session, actor, note_id)
    _check_may_change(actor, note)
    view = _view(db_session, note.id)
    _audit(db_session, actor, "delete", note, note_snapshot(note), None)
    db_session.delete(note)
    db_session.flush()
    return view


def _load(session: Session, actor: Actor, note_id: int) -> tuple[Note, Client]:
    """A note the actor may see; another tenant's note, or someone else's private one, is not found."""
    note = session.get(Note, note_id)
    if note is None or not can_see_note(actor, note):
        raise NotFoundError(f"no note with id {note_id}")
    try:
        client = get_visible_client(session, actor, note.client_id)
    except NotFoundError:
        raise NotFoundError(f"no note with id {note_id}") from None
    return note, client


def _fields(note: Note) -> tuple[str | None, str, NoteType, bool]:
    # Compared rather than the snapshots, which hide a private note's text.
    return note.title, note.content, note.note_type, note.is_private


def _check_may_change(actor: Actor, note: Note) -> None:
    if note.created_by_id == actor.user_id:
        return
    if actor.role is Role.ADMIN and not note.is_private:
        return
    raise AccessDeniedError("only the author of a note (or an admin) can change or delete it")


def _view(session: Session, note_id: int) -> NoteView:
    (view,) = load_note_views(session, note_rows(Note.id == note_id))
    return view


def _audit(
    session: Session,
    actor: Actor,
    action: str,
    note: Note,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    record_audit(
        session,
        workspace_id=actor.workspace_id,
        actor_user_id=actor.user_id,
        action=action,
        entity_type="note",
        entity_id=note.id,
        before=before,
        after=after,
    )
