"""Follow-ups as a to-do list (seed 004 F9 "Follow-up Tracking"): overdue, due today, upcoming.

A CSM (and any role not in TEAM_VIEW_ROLES) sees the follow-ups they set themselves; VPs and admins see
everyone's in their scope, each with the person who set it. Only clients the actor may see are listed.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, and_, or_
from sqlalchemy.orm import Session

from domain.access import Actor, visible_clients_clause
from domain.activities import rules
from domain.activities.models import Activity
from domain.activities.schemas import ActivityView, FollowUpItem, FollowUpList
from domain.activities.views import activity_rows, load_activity_views
from domain.clients.models import Client
from domain.errors import ValidationError
from domain.portfolio.rules import TEAM_VIEW_ROLES

MAX_DAYS_AHEAD = 90
# With include_completed, completed follow-ups due up to this many days before as_of are listed too.
RECENT_COMPLETED_DAYS = 30


def list_follow_ups(
    *, db_session: Session, actor: Actor, as_of: dt.date, include_completed: bool = False, days_ahead: int = 7
) -> FollowUpList:
    """List open follow-ups due up to `days_ahead` days after `as_of` (all overdue ones included)."""
    if isinstance(days_ahead, bool) or not 0 <= days_ahead <= MAX_DAYS_AHEAD:
        raise ValidationError(f"look 0 to {MAX_DAYS_AHEAD} days ahead")
    team_view = actor.role in TEAM_VIEW_ROLES
    where = and_(
        visible_clients_clause(actor),
        Activity.follow_up_date.is_not(None),
        Activity.follow_up_date <= as_of + dt.timedelta(days=days_ahead),
        _open_or_recent(as_of, include_completed),
    )
    if not team_view:
        where = and_(where, Activity.performed_by_id == actor.user_id)
    query = activity_rows(where).order_by(Activity.follow_up_date, Client.name, Activity.id)
    items = [_item(view, as_of) for view in load_activity_views(db_session, query)]
    return FollowUpList(
        as_of=as_of,
        days_ahead=days_ahead,
        performer_id=None if team_view else actor.user_id,
        overdue=[item for item in items if item.state == "overdue"],
        due_today=[item for item in items if item.state == "due_today"],
        upcoming=[item for item in items if item.state == "upcoming"],
        completed=[item for item in items if item.state == "completed"],
        activity_ids=[item.activity_id for item in items],
    )


def _open_or_recent(as_of: dt.date, include_completed: bool) -> ColumnElement[bool]:
    still_open = Activity.follow_up_completed.is_(False)
    if not include_completed:
        return still_open
    recent = Activity.follow_up_date >= as_of - dt.timedelta(days=RECENT_COMPLETED_DAYS)
    return or_(still_open, recent)


def _item(view: ActivityView, as_of: dt.date) -> FollowUpItem:
    assert view.follow_up_date is not None  # the query selects follow-ups only
    return FollowUpItem(
        activity_id=view.id,
        client_id=view.client_id,
        client_name=view.client_name,
        activity_type=view.activity_type,
        subject=view.subject,
        follow_up_date=view.follow_up_date,
        days_until_due=(view.follow_up_date - as_of).days,
        state=rules.follow_up_state(view.follow_up_date, as_of, completed=view.follow_up_completed),
        performed_by_id=view.performed_by_id,
        performed_by_name=view.performed_by_name,
        contact_ids=view.contact_ids,
        completed_at=view.follow_up_completed_at,
    )
