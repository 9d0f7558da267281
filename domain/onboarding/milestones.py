"""Seed 002's success milestones: detected from engagement events, recorded once, celebrated by the CSM."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session

from domain.access import Actor, get_visible_client, visible_clients_clause
from domain.audit import record_audit
from domain.clients.models import Client
from domain.errors import NotFoundError
from domain.onboarding.milestone_definitions import ACTIVATION_CELEBRATION, ACTIVATION_NAME
from domain.onboarding.models import Milestone, MilestoneDefinition, MilestoneMeasure
from domain.onboarding.path_rules import FULLY_ACTIVATED, humanize
from domain.onboarding.schemas import MilestoneView
from domain.usage.models import EngagementEvent

Labels = dict[str, tuple[str, str]]  # milestone key -> (name, celebration advice)


def detect_milestones(*, db_session: Session, workspace_id: int, as_of: dt.date) -> list[MilestoneView]:
    """Record every milestone a client reached by the end of `as_of` and had not yet; returns the new ones."""
    definitions = list(
        db_session.scalars(
            select(MilestoneDefinition)
            .where(MilestoneDefinition.workspace_id == workspace_id, MilestoneDefinition.enabled.is_(True))
            .order_by(MilestoneDefinition.id)
        )
    )
    new: list[Milestone] = []
    # One set-based query per definition (a tenant has a handful), never one per client.
    for definition in definitions:
        for client_id, achieved_at in db_session.execute(_crossings(definition, workspace_id, as_of)):
            new.append(
                Milestone(
                    client_id=client_id,
                    milestone_type=definition.key,
                    achieved_at=_as_utc(achieved_at),
                    celebrated=False,
                )
            )
    db_session.add_all(new)
    db_session.flush()
    rows = db_session.execute(select(Client.id, Client.name).where(Client.workspace_id == workspace_id))
    names = {row.id: row.name for row in rows}
    labels = milestone_labels(db_session=db_session, workspace_id=workspace_id)
    return [_view(milestone, names[milestone.client_id], labels) for milestone in new]


def milestones_to_celebrate(*, db_session: Session, actor: Actor, as_of: dt.date) -> list[MilestoneView]:
    """Milestones of the actor's clients reached by `as_of` and not celebrated yet, oldest first."""
    end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    rows = db_session.execute(
        select(Milestone, Client.name)
        .join(Client, Client.id == Milestone.client_id)
        .where(visible_clients_clause(actor), Milestone.celebrated.is_(False), Milestone.achieved_at < end)
        .order_by(Milestone.achieved_at, Milestone.id)
    ).all()
    labels = milestone_labels(db_session=db_session, workspace_id=actor.workspace_id)
    return [_view(milestone, client_name, labels) for milestone, client_name in rows]


def mark_celebrated(*, db_session: Session, actor: Actor, milestone_id: int) -> MilestoneView:
    """Record that the CSM celebrated a milestone; marking it again changes nothing."""
    found = db_session.execute(
        select(Milestone, Client.workspace_id)
        .join(Client, Client.id == Milestone.client_id)
        .where(Milestone.id == milestone_id)
    ).first()
    if found is None or found[1] != actor.workspace_id:
        raise NotFoundError(f"no milestone with id {milestone_id}")
    milestone = found[0]
    client = get_visible_client(db_session, actor, milestone.client_id)
    if not milestone.celebrated:
        milestone.celebrated = True
        record_audit(
            db_session,
            workspace_id=actor.workspace_id,
            actor_user_id=actor.user_id,
            action="mark_celebrated",
            entity_type="milestone",
            entity_id=milestone.id,
            before={"celebrated": False},
            after={"celebrated": True},
        )
        db_session.flush()
    return _view(milestone, client.name, milestone_labels(db_session=db_session, workspace_id=actor.workspace_id))


def _crossings(definition: MilestoneDefinition, workspace_id: int, as_of: dt.date) -> Select[tuple[int, dt.datetime]]:
    """(client_id, when) for each client whose `threshold`-th matching event or user falls by `as_of`."""
    event = EngagementEvent
    already = exists().where(Milestone.client_id == event.client_id, Milestone.milestone_type == definition.key)
    matching = [
        Client.workspace_id == workspace_id,
        event.event_type == definition.event_type,
        event.occurred_on <= as_of,
        ~already,
    ]
    if definition.feature_key is not None:
        matching.append(event.feature_key == definition.feature_key)
    if definition.measure is MilestoneMeasure.DISTINCT_USERS:
        firsts = (
            select(event.client_id, event.user_ref, func.min(event.occurred_at).label("at"))
            .join(Client, Client.id == event.client_id)
            .where(*matching)
            .group_by(event.client_id, event.user_ref)
            .subquery()
        )
        order = (firsts.c.at, firsts.c.user_ref)
        numbered = select(
            firsts.c.client_id,
            firsts.c.at,
            func.row_number().over(partition_by=firsts.c.client_id, order_by=order).label("n"),
        ).subquery()
    else:
        numbered = (
            select(
                event.client_id,
                event.occurred_at.label("at"),
                func.row_number().over(partition_by=event.client_id, order_by=(event.occurred_at, event.id)).label("n"),
            )
            .join(Client, Client.id == event.client_id)
            .where(*matching)
            .subquery()
        )
    return select(numbered.c.client_id, numbered.c.at).where(numbered.c.n == definition.threshold)


def milestone_labels(*, db_session: Session, workspace_id: int) -> Labels:
    """Milestone key -> (display name, celebration advice), fully_activated included."""
    rows = db_session.execute(
        select(MilestoneDefinition.key, MilestoneDefinition.name, MilestoneDefinition.celebration).where(
            MilestoneDefinition.workspace_id == workspace_id
        )
    )
    labels: Labels = {key: (name, celebration) for key, name, celebration in rows}
    labels[FULLY_ACTIVATED] = (ACTIVATION_NAME, ACTIVATION_CELEBRATION)
    return labels


def _view(milestone: Milestone, client_name: str, labels: Labels) -> MilestoneView:
    name, advice = labels.get(milestone.milestone_type, (humanize(milestone.milestone_type).capitalize(), ""))
    when = milestone.achieved_at.date().isoformat()
    celebration = f"{client_name} reached '{name}' on {when}" + (f" — {advice}" if advice else "")
    return MilestoneView(
        id=milestone.id,
        client_id=milestone.client_id,
        client_name=client_name,
        milestone_type=milestone.milestone_type,
        name=name,
        achieved_at=milestone.achieved_at,
        celebrated=milestone.celebrated,
        celebration=celebration,
    )


def _as_utc(value: dt.datetime | str) -> dt.datetime:
    # Window-function subqueries can hand SQLite's stored text back untyped.
    parsed = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)
