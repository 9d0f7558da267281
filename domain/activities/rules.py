"""Pure rules for activities and notes: what a valid entry is, follow-up urgency, day windows. No I/O.

- Subject: required, at most 300 characters after trimming (the column's width).
- Occurred at: timezone-aware and no later than `now` + 1 day; the day of slack lets a meeting logged
  just before it starts, or a date typed in a timezone ahead of the server's, through.
- Duration: whole minutes from 0 to 1440 (one day), or none.
- Follow-up date: not before the day the activity occurred.
- A follow-up is overdue before `as_of`, due today on it, upcoming after it.
- Every type but INTERNAL_DISCUSSION is a touch of the client: it moves the client's and the contacts'
  last CSM contact. Talking about a client among ourselves is not talking to them.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TypeVar

from domain.activities.schemas import FollowUpState
from domain.enums import ActivityType
from domain.errors import ValidationError

MAX_SUBJECT = 300
MAX_TITLE = 300
MAX_NOTE = 20_000
MAX_DURATION_MINUTES = 24 * 60
FUTURE_SLACK = dt.timedelta(days=1)
MAX_SUMMARY_DAYS = 366
NOT_A_TOUCH = frozenset({ActivityType.INTERNAL_DISCUSSION})

Choice = TypeVar("Choice", bound=StrEnum)


def as_choice(kind: type[Choice], value: Choice | str, what: str) -> Choice:
    """An enum member from a member or its value; anything else is a ValidationError listing the choices."""
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        raise ValidationError(f"{value!r} is not a known {what}; choose one of {choices}") from None


def clean_subject(subject: str) -> str:
    text = (subject or "").strip()
    if not text:
        raise ValidationError("an activity needs a subject, e.g. 'Check-in call with Sarah Chen'")
    if len(text) > MAX_SUBJECT:
        raise ValidationError(f"the subject is {len(text)} characters; keep it to {MAX_SUBJECT}")
    return text


def clean_text(text: str | None) -> str | None:
    """Optional free text: trimmed, and blank means none."""
    if text is None:
        return None
    return text.strip() or None


def check_occurred_at(occurred_at: dt.datetime, now: dt.datetime) -> None:
    if occurred_at.tzinfo is None:
        raise ValidationError("give the activity's time with a timezone")
    if occurred_at > now + FUTURE_SLACK:
        raise ValidationError(
            f"the activity is dated {occurred_at:%Y-%m-%d %H:%M} UTC, more than a day ahead; log it once it happened"
        )


def check_duration(minutes: int | None) -> None:
    if minutes is None:
        return
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 <= minutes <= MAX_DURATION_MINUTES:
        raise ValidationError(f"duration is whole minutes from 0 to {MAX_DURATION_MINUTES}, got {minutes!r}")


def check_follow_up(follow_up_date: dt.date | None, occurred_at: dt.datetime) -> None:
    if follow_up_date is None:
        return
    occurred_on = occurred_at.astimezone(dt.UTC).date()
    if follow_up_date < occurred_on:
        raise ValidationError(f"the follow-up date {follow_up_date} is before the activity ({occurred_on})")


def is_client_touch(activity_type: ActivityType) -> bool:
    return activity_type not in NOT_A_TOUCH


def follow_up_state(follow_up_date: dt.date, as_of: dt.date, *, completed: bool) -> FollowUpState:
    if completed:
        return "completed"
    if follow_up_date < as_of:
        return "overdue"
    return "due_today" if follow_up_date == as_of else "upcoming"


def day_window(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00 UTC, the day after end 00:00 UTC): both days included."""
    if end < start:
        raise ValidationError(f"the period ends ({end}) before it starts ({start})")
    if (end - start).days + 1 > MAX_SUMMARY_DAYS:
        raise ValidationError(f"summarise at most {MAX_SUMMARY_DAYS} days at a time")
    return (
        dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC),
    )


def clean_note(content: str, title: str | None) -> tuple[str, str | None]:
    text = (content or "").strip()
    if not text:
        raise ValidationError("a note needs some content")
    if len(text) > MAX_NOTE:
        raise ValidationError(f"the note is {len(text)} characters; keep it to {MAX_NOTE}")
    heading = clean_text(title)
    if heading is not None and len(heading) > MAX_TITLE:
        raise ValidationError(f"the title is {len(heading)} characters; keep it to {MAX_TITLE}")
    return text, heading
