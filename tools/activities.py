"""Tools for the CSM's own work: log an activity, notes, follow-ups, and "what did I do last week"."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from domain.activities.follow_ups import list_follow_ups as follow_ups_service
from domain.activities.notes import add_note as add_note_service
from domain.activities.schemas import ActivitySummary, ActivityView, FollowUpList, NoteView
from domain.activities.service import log_activity as log_activity_service
from domain.activities.summary import activity_summary as summary_service
from domain.clients.models import Contact
from domain.enums import ActivityOutcome, ActivityType, NoteType
from domain.errors import NotFoundError
from domain.staff.models import User
from tools.base import ToolContext, ToolResult, cs_tool, resolve_client


class LogActivityArgs(BaseModel):
    client: str = Field(description="The client's name.")
    activity_type: ActivityType = Field(ActivityType.CALL, description="Kind of interaction.")
    subject: str = Field(description="A short subject line, e.g. 'Check-in call with Sarah Chen'.")
    notes: str | None = Field(None, description="What was discussed.")
    occurred_on: dt.date | None = Field(None, description="When it happened (default today).")
    duration_minutes: int | None = Field(None, ge=0, le=1440)
    contacts: list[str] = Field(default_factory=list, description="Names of the client's contacts involved.")
    outcome: ActivityOutcome | None = None
    follow_up_date: dt.date | None = Field(None, description="When to follow up, if a follow-up is needed.")


class ActivityResult(ToolResult):
    activity: ActivityView


def _activity_summary(args: LogActivityArgs) -> str:
    when = args.occurred_on.isoformat() if args.occurred_on else "today"
    parts = [f"Log {args.activity_type.value.lower().replace('_', ' ')} with {args.client} on {when}: {args.subject}"]
    if args.duration_minutes:
        parts.append(f"{args.duration_minutes} min")
    if args.outcome:
        parts.append(args.outcome.value.lower().replace("_", " "))
    if args.follow_up_date:
        parts.append(f"follow up {args.follow_up_date.isoformat()}")
    return ", ".join(parts)


def contact_ids(context: ToolContext, client_id: int, names: list[str]) -> list[int]:
    """Resolve contact names (or first names) of this client; an unknown name is a clear error."""
    contacts = context.db_session.query(Contact.id, Contact.name).filter(Contact.client_id == client_id).all()
    found = []
    for name in names:
        wanted = name.strip().lower()
        match = next((c.id for c in contacts if c.name.lower() == wanted or c.name.lower().split()[0] == wanted), None)
        if match is None:
            known = ", ".join(c.name for c in contacts[:8])
            raise NotFoundError(f"no contact called {name!r} at this client; contacts: {known}")
        found.append(match)
    return found


@cs_tool("log_activity", args=LogActivityArgs, writes=True, summarize=_activity_summary)
def log_activity(args: LogActivityArgs, context: ToolContext) -> ActivityResult:
    """Log a CSM interaction (call, email, meeting, QBR, training, ...) with a client, with outcome and an
    optional follow-up date. Changes data: needs confirmation."""
    client = resolve_client(context, args.client)
    day = args.occurred_on or context.as_of
    occurred_at = (
        dt.datetime.combine(day, context.now.timetz())
        if day == context.now.date()
        else (dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC))
    )
    activity = log_activity_service(
        db_session=context.db_session,
        actor=context.actor,
        client_id=client.id,
        activity_type=args.activity_type,
        subject=args.subject,
        description=args.notes,
        occurred_at=occurred_at,
        now=context.now,
        duration_minutes=args.duration_minutes,
        contact_ids=contact_ids(context, client.id, args.contacts),
        outcome=args.outcome,
        follow_up_date=args.follow_up_date,
    )
    return ActivityResult(as_of=context.as_of, source_ids={"activity": [activity.id]}, activity=activity)


class AddNoteArgs(BaseModel):
    client: str = Field(description="The client's name.")
    content: str = Field(min_length=1, max_length=20000, description="The note's text.")
    title: str | None = None
    note_type: NoteType = NoteType.GENERAL
    private: bool = Field(False, description="Private notes are visible to their author only.")


class NoteResult(ToolResult):
    note: NoteView


def _note_summary(args: AddNoteArgs) -> str:
    privacy = "private " if args.private else ""
    return f"Add a {privacy}note to {args.client}: {args.content[:120]}"


@cs_tool("add_note", args=AddNoteArgs, writes=True, summarize=_note_summary)
def add_note(args: AddNoteArgs, context: ToolContext) -> NoteResult:
    """Add a note to a client (private notes are visible only to their author). Changes data: needs confirmation."""
    client = resolve_client(context, args.client)
    note = add_note_service(
        db_session=context.db_session,
        actor=context.actor,
        client_id=client.id,
        content=args.content,
        now=context.now,
        title=args.title,
        note_type=args.note_type,
        is_private=args.private,
    )
    return NoteResult(as_of=context.as_of, source_ids={"note": [note.id]}, note=note)


class FollowUpsArgs(BaseModel):
    days_ahead: int = Field(7, ge=0, le=90, description="Include follow-ups due within this many days.")
    include_completed: bool = False


class FollowUpsResult(ToolResult):
    follow_ups: FollowUpList


@cs_tool("list_follow_ups", args=FollowUpsArgs)
def list_follow_ups(args: FollowUpsArgs, context: ToolContext) -> FollowUpsResult:
    """Follow-ups that are overdue, due today and coming up, from logged activities."""
    result = follow_ups_service(
        db_session=context.db_session,
        actor=context.actor,
        as_of=context.as_of,
        include_completed=args.include_completed,
        days_ahead=args.days_ahead,
    )
    return FollowUpsResult(as_of=context.as_of, follow_ups=result)


class SummaryArgs(BaseModel):
    start: dt.date | None = Field(None, description="First day (default: Monday of last week).")
    end: dt.date | None = Field(None, description="Last day (default: Sunday of last week).")
    csm: str | None = Field(None, description="Another staff member's email (VPs only); default: the asker.")


class SummaryResult(ToolResult):
    summary: ActivitySummary


@cs_tool("activity_summary", args=SummaryArgs)
def activity_summary(args: SummaryArgs, context: ToolContext) -> SummaryResult:
    """What someone did with clients in a period ("what did I do last week"): counts by type and outcome,
    clients touched, time spent, the activities, follow-ups created."""
    monday = context.as_of - dt.timedelta(days=context.as_of.weekday())
    start = args.start or monday - dt.timedelta(days=7)
    end = args.end or start + dt.timedelta(days=6)
    performer = _staff_id(context, args.csm) if args.csm else None
    summary = summary_service(
        db_session=context.db_session, actor=context.actor, start=start, end=end, performer_id=performer
    )
    return SummaryResult(as_of=context.as_of, summary=summary)


def _staff_id(context: ToolContext, email: str) -> int:
    user_id = (
        context.db_session.query(User.id)
        .filter(User.workspace_id == context.actor.workspace_id, User.email == email.strip().lower())
        .scalar()
    )
    if user_id is None:
        raise NotFoundError(f"no staff member with email {email!r}")
    return int(user_id)
