"""Seed 001's weekly insights: generated from real activity, read and acted on by the actor's team."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from domain.access import Actor, get_visible_client
from domain.audit import record_audit
from domain.clients.models import Client
from domain.enums import InsightStatus
from domain.errors import ConflictError, NotFoundError, ValidationError
from domain.insights.facts import gather_week_facts
from domain.insights.models import Insight
from domain.insights.rules import can_transition, weekly_insights
from domain.insights.schemas import InsightView


def generate_weekly_insights(*, db_session: Session, workspace_id: int, week_start: dt.date) -> int:
    """Write each customer's insights for the week starting Monday `week_start`; returns how many are new.

    Regenerating a week adds only insights that did not exist yet, so statuses already set stay.
    """
    if week_start.weekday() != 0:
        raise ValidationError(f"weekly insights start on a Monday; {week_start} is a {week_start:%A}")
    facts = gather_week_facts(db_session=db_session, workspace_id=workspace_id, week_start=week_start)
    existing = set(
        db_session.execute(
            select(Insight.client_id, Insight.insight_key)
            .join(Client, Client.id == Insight.client_id)
            .where(Client.workspace_id == workspace_id, Insight.week_start == week_start)
        ).tuples()
    )
    rows: list[dict[str, Any]] = [
        {
            "client_id": client_id,
            "week_start": week_start,
            "insight_key": draft.key,
            "insight_type": draft.insight_type,
            "title": draft.title,
            "body": draft.body,
            "priority": draft.priority,
            "status": InsightStatus.UNREAD,
        }
        for client_id, week in facts.items()
        for draft in weekly_insights(week)
        if (client_id, draft.key) not in existing
    ]
    if rows:
        db_session.execute(insert(Insight), rows)
    return len(rows)


def list_insights(
    *, db_session: Session, actor: Actor, client_id: int, status: InsightStatus | None = None
) -> list[InsightView]:
    """A client's insights, newest week first and most pressing first within a week."""
    client = get_visible_client(db_session, actor, client_id)
    query = (
        select(Insight)
        .where(Insight.client_id == client.id)
        .order_by(Insight.week_start.desc(), Insight.priority, Insight.id)
    )
    if status is not None:
        query = query.where(Insight.status == InsightStatus(status))
    return [_view(insight, client.name) for insight in db_session.scalars(query)]


def set_insight_status(
    *, db_session: Session, actor: Actor, insight_id: int, status: InsightStatus | str, now: dt.datetime
) -> InsightView:
    """Mark an insight read, dismissed or acted on; setting the status it already has changes nothing."""
    new_status = _requested(status)
    found = db_session.execute(
        select(Insight, Client.workspace_id)
        .join(Client, Client.id == Insight.client_id)
        .where(Insight.id == insight_id)
    ).first()
    if found is None or found[1] != actor.workspace_id:
        raise NotFoundError(f"no insight with id {insight_id}")
    insight = found[0]
    client = get_visible_client(db_session, actor, insight.client_id)
    if insight.status == new_status:
        return _view(insight, client.name)
    if not can_transition(insight.status, new_status):
        raise ConflictError(f"an insight that is {insight.status.value} cannot be marked {new_status.value}")
    before = insight.status
    insight.status, insight.status_changed_at = new_status, now
    record_audit(
        db_session,
        workspace_id=actor.workspace_id,
        actor_user_id=actor.user_id,
        action="set_insight_status",
        entity_type="insight",
        entity_id=insight.id,
        before={"status": before.value},
        after={"status": new_status.value},
    )
    db_session.flush()
    return _view(insight, client.name)


def _requested(status: InsightStatus | str) -> InsightStatus:
    try:
        parsed = InsightStatus(str(status).strip().lower())
    except ValueError:
        raise ValidationError(f"unknown insight status {status!r}: use read, dismissed or acted_on") from None
    if parsed is InsightStatus.UNREAD:
        raise ValidationError("an insight cannot be marked unread again")
    return parsed


def _view(insight: Insight, client_name: str) -> InsightView:
    return InsightView(
        id=insight.id,
        client_id=insight.client_id,
        client_name=client_name,
        week_start=insight.week_start,
        insight_key=insight.insight_key,
        insight_type=insight.insight_type,
        title=insight.title,
        body=insight.body,
        priority=insight.priority,
        status=insight.status,
        status_changed_at=insight.status_changed_at,
    )
