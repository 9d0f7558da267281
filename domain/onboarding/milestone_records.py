"""Seed 002's POST /api/success/milestone: record that a client reached a milestone, once.

Milestones are usually detected from events (milestones.py); this is the explicit path for an app that
knows first. The milestone must be one the tenant defines (or fully_activated); recording it again
returns the first record unchanged.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import Actor, get_visible_client
from domain.audit import record_audit
from domain.errors import ValidationError
from domain.onboarding.milestones import milestone_labels
from domain.onboarding.models import Milestone
from domain.onboarding.path_rules import humanize
from domain.onboarding.schemas import MilestoneView


class MilestoneRecorded(BaseModel):
    milestone: MilestoneView
    created: bool  # False: it was recorded before, and the earlier record stands


def record_milestone(
    *,
    db_session: Session,
    actor: Actor,
    client_id: int,
    milestone_type: str,
    achieved_at: dt.datetime,
    now: dt.datetime,
) -> MilestoneRecorded:
    """Record a milestone for a client in the actor's portfolio; not in the future, not twice."""
    client = get_visible_client(db_session, actor, client_id)
    labels = milestone_labels(db_session=db_session, workspace_id=actor.workspace_id)
    key = milestone_type.strip().lower()
    if key not in labels:
        raise ValidationError(f"unknown milestone {milestone_type!r}; known: {', '.join(sorted(labels))}")
    if achieved_at.tzinfo is None or achieved_at > now:
        raise ValidationError("achieved_at must be a timezone-aware time that is not in the future")
    existing = db_session.scalar(
        select(Milestone).where(Milestone.client_id == client.id, Milestone.milestone_type == key)
    )
    created = existing is None
    milestone = existing or Milestone(
        client_id=client.id, milestone_type=key, achieved_at=achieved_at, celebrated=False
    )
    if created:
        db_session.add(milestone)
        db_session.flush()
        record_audit(
            db_session,
            workspace_id=actor.workspace_id,
            actor_user_id=actor.user_id,
            action="create",
            entity_type="milestone",
            entity_id=milestone.id,
            after={"client_id": client.id, "milestone_type": key, "achieved_at": achieved_at.isoformat()},
        )
    name, advice = labels[key]
    when = milestone.achieved_at.date().isoformat()
    view = MilestoneView(
        id=milestone.id,
        client_id=client.id,
        client_name=client.name,
        milestone_type=key,
        name=name or humanize(key),
        achieved_at=milestone.achieved_at,
        celebrated=milestone.celebrated,
        celebration=f"{client.name} reached '{name}' on {when}" + (f" — {advice}" if advice else ""),
    )
    return MilestoneRecorded(milestone=view, created=created)
