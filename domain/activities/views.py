"""Turn activity and note rows into views and audit snapshots; one query loads views with the names they show."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session, aliased

from domain.activities.models import Activity, Note
from domain.activities.schemas import ActivityView, NoteView
from domain.clients.models import Client
from domain.staff.models import User

# The performer's and author's names come from an outer join, so they are None when the user is gone.
ActivityRows = Select[tuple[Activity, str, str]]
NoteRows = Select[tuple[Note, str, str]]

_performer = aliased(User)
_author = aliased(User)


def activity_view(activity: Activity, client_name: str, performer_name: str | None) -> ActivityView:
    return ActivityView(
        id=activity.id,
        client_id=activity.client_id,
        client_name=client_name,
        activity_type=activity.activity_type,
        subject=activity.subject,
        description=activity.description,
        performed_by_id=activity.performed_by_id,
        performed_by_name=performer_name,
        contact_ids=contact_ids_of(activity),
        occurred_at=activity.occurred_at,
        duration_minutes=activity.duration_minutes,
        outcome=activity.outcome,
        outcome_notes=activity.outcome_notes,
        follow_up_date=activity.follow_up_date,
        follow_up_completed=activity.follow_up_completed,
        follow_up_completed_at=activity.follow_up_completed_at,
        created_at=activity.created_at,
    )


def contact_ids_of(activity: Activity) -> list[int]:
    """Our contact ids on the activity. They are stored as strings (seed 004 keeps contact ids as strings);
    anything that is not one of our numeric ids (a CRM's reference, say) is left out rather than fail the view."""
    return [int(value) for value in map(str, activity.contact_ids or []) if value.isdigit()]


def activity_rows(where: ColumnElement[bool]) -> ActivityRows:
    """Activities matching `where` with their client's and performer's names (callers add order and limit)."""
    return (
        select(Activity, Client.name, _performer.name)
        .join(Client, Client.id == Activity.client_id)
        .outerjoin(_performer, _performer.id == Activity.performed_by_id)
        .where(where)
    )


def load_activity_views(session: Session, query: ActivityRows) -> list[ActivityView]:
    return [activity_view(activity, client, performer) for activity, client, performer in session.execute(query)]


def activity_snapshot(activity: Activity) -> dict[str, Any]:
    """The audited part of an activity, JSON-ready."""
    return {
        "client_id": activity.client_id,
        "activity_type": str(activity.activity_type),
        "subject": activity.subject,
        "description": activity.description,
        "performed_by_id": activity.performed_by_id,
        "contact_ids": contact_ids_of(activity),
        "occurred_at": activity.occurred_at.isoformat(),
        "duration_minutes": activity.duration_minutes,
        "outcome": None if activity.outcome is None else str(activity.outcome),
        "outcome_notes": activity.outcome_notes,
        "follow_up_date": None if activity.follow_up_date is None else activity.follow_up_date.isoformat(),
        "follow_up_completed": activity.follow_up_completed,
        "follow_up_completed_at": (
            None if activity.follow_up_completed_at is None else activity.follow_up_completed_at.isoformat()
        ),
    }


def note_view(note: Note, client_name: str, author_name: str | None) -> NoteView:
    return NoteView(
        id=note.id,
        client_id=note.client_id,
        client_name=client_name,
        title=note.title,
        content=note.content,
        note_type=note.note_type,
        is_private=note.is_private,
        created_by_id=note.created_by_id,
        created_by_name=author_name,
        created_at=note.created_at,
        updated_at=note.updated_at,
    )


def note_rows(where: ColumnElement[bool]) -> NoteRows:
    return (
        select(Note, Client.name, _author.name)
        .join(Client, Client.id == Note.client_id)
        .outerjoin(_author, _author.id == Note.created_by_id)
        .where(where)
    )


def load_note_views(session: Session, query: NoteRows) -> list[NoteView]:
    return [note_view(note, client, author) for note, client, author in session.execute(query)]


def note_snapshot(note: Note) -> dict[str, Any]:
    """The audited part of a note. A private note's text stays out of the log, which others may read."""
    return {
        "client_id": note.client_id,
        "title": None if note.is_private else note.title,
        "content": f"<private, {len(note.content)} characters>" if note.is_private else note.content,
        "note_type": str(note.note_type),
        "is_private": note.is_private,
        "created_by_id": note.created_by_id,
    }
