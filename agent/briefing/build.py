"""build_briefing: one staff user's deterministic briefing, scoped to what they may see, most urgent first."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agent.briefing.attention_items import alert_items, follow_up_items
from agent.briefing.engagement_items import engagement_items
from agent.briefing.models import Briefing, BriefingItem
from agent.briefing.opportunity_items import expansion_items, milestone_items
from agent.briefing.portfolio_items import portfolio_items
from agent.briefing.window import DEFAULT_LOOKBACK, Window
from domain.access import Actor
from domain.clients.models import Client
from domain.enums import Role
from domain.errors import NotFoundError
from domain.messaging.service import local_timezone
from domain.scoring.models import HealthSnapshot
from domain.staff.models import User

STALE_AFTER = dt.timedelta(hours=26)  # scores recompute hourly; a day and a bit without one means it stopped
MAX_ITEMS = 12

Gatherer = Callable[[Session, Window], list[BriefingItem]]
CSM_GATHERERS: tuple[Gatherer, ...] = (
    alert_items,
    follow_up_items,
    portfolio_items,
    expansion_items,
    milestone_items,
)
CONSULTANT_GATHERERS: tuple[Gatherer, ...] = (engagement_items, follow_up_items, milestone_items)


def build_briefing(
    *, db_session: Session, actor: Actor, now: dt.datetime, since: dt.datetime | None = None
) -> Briefing:
    """What changed for `actor` since their last briefing (or `since`) and what to do, as of `now`."""
    user = db_session.get(User, actor.user_id)
    if user is None or user.workspace_id != actor.workspace_id:
        raise NotFoundError(f"no staff user with id {actor.user_id}")
    zone = local_timezone(user.timezone)
    window = Window(
        actor=actor,
        now=now,
        as_of=now.astimezone(zone).date(),
        since=since or user.last_briefed_at or now - DEFAULT_LOOKBACK,
    )
    data_day, computed_at = data_freshness(db_session, actor.workspace_id)
    briefing = Briefing(
        user_id=user.id,
        user_email=user.email,
        user_name=user.name,
        role=user.role.value,
        workspace_id=actor.workspace_id,
        timezone=user.timezone,
        generated_at=now,
        local_date=window.as_of,
        since=window.since,
        data_as_of=data_day,
        data_computed_at=computed_at,
        stale=False,
    )
    reason = stale_reason(computed_at, now)
    if reason is not None:
        return briefing.model_copy(update={"stale": True, "stale_reason": reason})
    gatherers = CONSULTANT_GATHERERS if actor.role is Role.CONSULTANT else CSM_GATHERERS
    items = sorted((item for gather in gatherers for item in gather(db_session, window)), key=BriefingItem.sort_key)
    return briefing.model_copy(
        update={
            "items": items[:MAX_ITEMS],
            "more_items": max(0, len(items) - MAX_ITEMS),
            "counts": dict(Counter(item.kind.value for item in items)),
        }
    )


def data_freshness(db_session: Session, workspace_id: int) -> tuple[dt.date | None, dt.datetime | None]:
    """The newest health score day of the tenant and when scores were last computed."""
    row = db_session.execute(
        select(func.max(HealthSnapshot.day), func.max(HealthSnapshot.created_at))
        .join(Client, Client.id == HealthSnapshot.client_id)
        .where(Client.workspace_id == workspace_id, HealthSnapshot.model_key == "health")
    ).one()
    day, computed = row
    if isinstance(computed, str):  # SQLite returns max() of a datetime column as text
        computed = dt.datetime.fromisoformat(computed)
    if computed is not None and computed.tzinfo is None:
        computed = computed.replace(tzinfo=dt.UTC)
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return day, computed


def stale_reason(computed_at: dt.datetime | None, now: dt.datetime) -> str | None:
    """Why the data cannot be briefed on, or None when scores were recomputed recently enough."""
    if computed_at is None:
        return "no health scores have been computed yet"
    age = now - computed_at
    if age <= STALE_AFTER:
        return None
    hours = int(age.total_seconds() // 3600)
    return f"health scores were last recomputed {hours} hours ago, at {computed_at:%Y-%m-%d %H:%M} UTC"


def mark_briefed(*, db_session: Session, user_id: int, now: dt.datetime) -> None:
    """Remember when the user was last briefed: the next briefing reports changes since then."""
    user = db_session.get(User, user_id)
    if user is None:
        raise NotFoundError(f"no staff user with id {user_id}")
    user.last_briefed_at = now
    db_session.flush()
