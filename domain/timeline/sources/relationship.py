"""Touchpoints with people: CSM activities, notes, seed 002 support interactions and NPS/CSAT responses."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.orm import Session, aliased

from domain.activities.models import Activity, Note
from domain.clients.models import Contact
from domain.enums import SurveyKind
from domain.support.models import SupportInteraction, SurveyResponse
from domain.timeline.schemas import TimelineEntry, TimelineKind
from domain.timeline.sources.base import ClientRef, SourceScope, client_rows, label, make_entry, shorten


def activity_entries(session: Session, scope: SourceScope) -> Iterator[TimelineEntry]:
    rows = client_rows(
        session,
        scope,
        Activity,
        occurred=[Activity.occurred_at],
        changed=Activity.updated_at,
        author=Activity.performed_by_id,
    )
    for row in rows:
        activity: Activity = row.Activity
        outcome = label(activity.outcome) if activity.outcome else None
        yield make_entry(
            TimelineKind.ACTIVITY,
            "activity",
            activity.id,
            ClientRef.of(row),
            occurred_at=activity.occurred_at,
            title=f"{label(activity.activity_type)}: {activity.subject}",
            body=[
                activity.subject,
                activity.description,
                f"Outcome: {outcome}" if outcome else None,
                activity.outcome_notes,
                f"Performed by {row.author_name}" if row.author_name else None,
                f"Duration: {activity.duration_minutes} minutes" if activity.duration_minutes else None,
                _follow_up(activity),
            ],
            author_id=activity.performed_by_id,
            author_name=row.author_name,
            subtype=activity.activity_type.value,
            details={
                "activity_type": activity.activity_type.value,
                "outcome": activity.outcome.value if activity.outcome else None,
                "duration_minutes": activity.duration_minutes,
                "follow_up_date": activity.follow_up_date.isoformat() if activity.follow_up_date else None,
                "follow_up_completed": activity.follow_up_completed,
            },
        )


def _follow_up(activity: Activity) -> str | None:
    if activity.follow_up_date is None:
        return None
    state = "done" if activity.follow_up_completed else "open"
    return f"Follow-up due {activity.follow_up_date.isoformat()} ({state})"


def note_entries(session: Session, scope: SourceScope) -> Iterator[TimelineEntry]:
    # scope.notes decides private notes in SQL: a note the actor may not read is never even loaded.
    rows = client_rows(
        session,
        scope,
        Note,
        occurred=[Note.created_at],
        changed=Note.updated_at,
        author=Note.created_by_id,
        where=[scope.notes],
    )
    for row in rows:
        note: Note = row.Note
        heading = note.title or shorten(note.content)
        yield make_entry(
            TimelineKind.NOTE,
            "note",
            note.id,
            ClientRef.of(row),
            occurred_at=note.created_at,
            title=f"{'Private note' if note.is_private else 'Note'}: {heading}",
            body=[note.title, note.content, f"{label(note.note_type)} note by {row.author_name or 'unknown'}"],
            author_id=note.created_by_id,
            author_name=row.author_name,
            is_private=note.is_private,
            subtype=note.note_type.value,
            details={"note_type": note.note_type.value},
        )


def interaction_entries(session: Session, scope: SourceScope) -> Iterator[TimelineEntry]:
    rows = client_rows(
        session,
        scope,
        SupportInteraction,
        occurred=[SupportInteraction.occurred_at],
        changed=SupportInteraction.occurred_at,
        author=SupportInteraction.performed_by_id,
    )
    for row in rows:
        item: SupportInteraction = row.SupportInteraction
        yield make_entry(
            TimelineKind.INTERACTION,
            "support_interaction",
            item.id,
            ClientRef.of(row),
            occurred_at=item.occurred_at,
            title=label(item.type) + (f": {item.outcome}" if item.outcome else ""),
            body=[label(item.type), item.notes, f"Outcome: {item.outcome}" if item.outcome else None],
            author_id=item.performed_by_id,
            author_name=row.author_name,
            subtype=item.type.value,
            details={"interaction_type": item.type.value, "outcome": item.outcome},
        )


def survey_entries(session: Session, scope: SourceScope) -> Iterator[TimelineEntry]:
    contact = aliased(Contact)
    rows = client_rows(
        session,
        scope,
        SurveyResponse,
        occurred=[SurveyResponse.responded_at],
        changed=SurveyResponse.responded_at,
        extra=[contact.name.label("contact_name")],
        outer=[(contact, contact.id == SurveyResponse.contact_id)],
    )
    for row in rows:
        response: SurveyResponse = row.SurveyResponse
        score = _survey_score(response)
        yield make_entry(
            TimelineKind.SURVEY,
            "survey_response",
            response.id,
            ClientRef.of(row),
            occurred_at=response.responded_at,
            title=score + (f" from {row.contact_name}" if row.contact_name else ""),
            body=[score, response.comment, f"Respondent: {row.contact_name}" if row.contact_name else None],
            subtype=response.kind.value,
            details={"survey_kind": response.kind.value, "score": response.score, "contact_id": response.contact_id},
        )


def _survey_score(response: SurveyResponse) -> str:
    if response.kind is SurveyKind.CSAT:
        return f"CSAT {response.score}/5"
    category = "promoter" if response.score >= 9 else "passive" if response.score >= 7 else "detractor"
    return f"NPS {response.score} ({category})"
