"""'What did I do with clients last week?' (seed 004): one person's activities over a period, counted.

The default person is the actor. VPs and admins (TEAM_VIEW_ROLES) may ask about anyone in their tenant;
anyone else asking about another person is refused. Only clients the actor may see are counted. Days are
UTC days, both ends included.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import and_
from sqlalchemy.orm import Session

from domain.access import Actor, visible_clients_clause
from domain.activities import rules
from domain.activities.models import Activity
from domain.activities.schemas import ActivitySummary, ActivityView, ClientTouch
from domain.activities.views import activity_rows, load_activity_views
from domain.enums import ActivityOutcome, ActivityType
from domain.errors import AccessDeniedError, NotFoundError
from domain.portfolio.rules import TEAM_VIEW_ROLES
from domain.staff.models import User


def activity_summary(
    *, db_session: Session, actor: Actor, start: dt.date, end: dt.date, performer_id: int | None = None
) -> ActivitySummary:
    """Summarise one person's client activities from `start` to `end` (both included): counts, clients, time."""
    window_start, window_end = rules.day_window(start, end)
    performer_id, performer_name = _performer(db_session, actor, performer_id)
    where = and_(
        visible_clients_clause(actor),
        Activity.performed_by_id == performer_id,
        Activity.occurred_at >= window_start,
        Activity.occurred_at < window_end,
    )
    views = load_activity_views(db_session, activity_rows(where).order_by(Activity.occurred_at, Activity.id))
    types = Counter(view.activity_type for view in views)
    outcomes = Counter(view.outcome for view in views if view.outcome is not None)
    follow_ups = [view for view in views if view.follow_up_date is not None]
    return ActivitySummary(
        performer_id=performer_id,
        performer_name=performer_name,
        start=start,
        end=end,
        total_activities=len(views),
        total_minutes=sum(view.duration_minutes or 0 for view in views),
        by_type={kind: types[kind] for kind in ActivityType if types[kind]},
        by_outcome={outcome: outcomes[outcome] for outcome in ActivityOutcome if outcomes[outcome]},
        without_outcome=sum(1 for view in views if view.outcome is None),
        clients_touched=_clients_touched(views),
        follow_ups_created=len(follow_ups),
        follow_ups_open=sum(1 for view in follow_ups if not view.follow_up_completed),
        activities=views,
        activity_ids=[view.id for view in views],
    )


def _performer(session: Session, actor: Actor, performer_id: int | None) -> tuple[int, str]:
    if performer_id is None or performer_id == actor.user_id:
        return actor.user_id, actor.name
    if actor.role not in TEAM_VIEW_ROLES:
        raise AccessDeniedError("you can summarise your own activities only; a VP can summarise a colleague's")
    user = session.get(User, performer_id)
    if user is None or user.workspace_id != actor.workspace_id:
        raise NotFoundError(f"no staff user with id {performer_id}")
    return user.id, user.name


def _clients_touched(views: list[ActivityView]) -> list[ClientTouch]:
    touches: dict[int, ClientTouch] = {}
    for view in views:
        touch = touches.get(view.client_id)
        if touch is None:
            touches[view.client_id] = ClientTouch(
                client_id=view.client_id,
                client_name=view.client_name,
                activities=1,
                minutes=view.duration_minutes or 0,
                last_occurred_at=view.occurred_at,
            )
            continue
        touch.activities += 1
        touch.minutes += view.duration_minutes or 0
        touch.last_occurred_at = max(touch.last_occurred_at, view.occurred_at)
    return sorted(touches.values(), key=lambda touch: (-touch.activities, touch.client_name, touch.client_id))
