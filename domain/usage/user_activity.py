"""Per-user activity at one client from engagement events, matched to the client's contacts.

Shared by the usage summary (power users) and the user-engagement list; one grouped query per call.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, case, distinct, func, select
from sqlalchemy.orm import Session

from domain.clients.models import Contact
from domain.enums import ContactRole
from domain.usage.models import EngagementEvent

KEY_STAKEHOLDER_ROLES = frozenset({ContactRole.CHAMPION, ContactRole.EXECUTIVE_SPONSOR, ContactRole.ADMIN})


@dataclass(frozen=True, slots=True)
class UserActivity:
    user_ref: str
    last_active_at: dt.datetime | None
    events: int
    sessions: int
    previous_sessions: int


@dataclass(frozen=True, slots=True)
class ContactMatch:
    contact_id: int
    name: str
    role: ContactRole
    title: str | None
    is_active: bool  # False once the contact has left the client


def period_bounds(as_of: dt.date, days: int) -> tuple[dt.date, dt.date]:
    """First day of the `days`-day period ending as_of, and of the period of equal length before it."""
    start = as_of - dt.timedelta(days=days - 1)
    return start, start - dt.timedelta(days=days)


def load_user_activity(*, db_session: Session, client_id: int, as_of: dt.date, days: int) -> dict[str, UserActivity]:
    """Every user with an event on or before as_of: last activity, events and sessions in the two periods."""
    start, previous_start = period_bounds(as_of, days)
    event = EngagementEvent
    current = event.occurred_on.between(start, as_of)
    previous = event.occurred_on.between(previous_start, start - dt.timedelta(days=1))
    rows = db_session.execute(
        select(
            event.user_ref,
            func.max(event.occurred_at),
            func.count(case((current, 1))),
            _sessions(current),
            _sessions(previous),
        )
        .where(event.client_id == client_id, event.occurred_on <= as_of)
        .group_by(event.user_ref)
    )
    return {
        ref: UserActivity(ref, _as_datetime(last), int(events), int(now), int(before))
        for ref, last, events, now, before in rows
    }


def _sessions(window: ColumnElement[bool]) -> ColumnElement[int]:
    # Same rule as the rollups: distinct session ids, plus one session per day of sessionless events.
    event = EngagementEvent
    with_id = func.count(distinct(case((and_(window, event.session_id.is_not(None)), event.session_id))))
    without_id = func.count(distinct(case((and_(window, event.session_id.is_(None)), event.occurred_on))))
    return with_id + without_id


def load_contact_matches(*, db_session: Session, client_id: int) -> dict[str, ContactMatch]:
    """Contacts by platform user id; an active contact wins over one who left, then the oldest."""
    rows = db_session.execute(
        select(Contact.platform_user_ref, Contact.id, Contact.name, Contact.role, Contact.title, Contact.is_active)
        .where(Contact.client_id == client_id, Contact.platform_user_ref.is_not(None))
        .order_by(Contact.is_active.desc(), Contact.id)
    )
    matches: dict[str, ContactMatch] = {}
    for ref, contact_id, name, role, title, is_active in rows:
        matches.setdefault(ref, ContactMatch(contact_id, name, role, title, is_active))
    return matches


def _as_datetime(value: dt.datetime | str | None) -> dt.datetime | None:
    # MAX() bypasses the column type on SQLite and comes back as naive UTC text.
    if value is None:
        return None
    parsed = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)
