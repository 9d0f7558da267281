"""One page of a client's activities, newest first, for paginated API lists."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.access import Actor, get_visible_client
from domain.activities.models import Activity
from domain.activities.schemas import ActivityView
from domain.activities.views import activity_rows, load_activity_views
from domain.errors import ValidationError

MAX_LIMIT = 200


def activity_page(
    *, db_session: Session, actor: Actor, client_id: int, page: int = 1, limit: int = 25
) -> tuple[list[ActivityView], int]:
    """The page's activities and how many the client has in all."""
    if page < 1 or not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(f"page starts at 1 and limit is 1 to {MAX_LIMIT}")
    client = get_visible_client(db_session, actor, client_id)
    query = activity_rows(Activity.client_id == client.id).order_by(Activity.occurred_at.desc(), Activity.id.desc())
    views = load_activity_views(db_session, query.offset((page - 1) * limit).limit(limit))
    total = db_session.scalar(select(func.count()).select_from(Activity).where(Activity.client_id == client.id))
    return views, total or 0
