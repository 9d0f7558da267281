"""Gather every client's week for the insight rules with a handful of grouped queries, never one per client."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import Session

from domain.clients.models import Client
from domain.enums import EventType, LifecycleStatus
from domain.insights.rules import WeekFacts
from domain.onboarding.milestones import milestone_labels
from domain.onboarding.models import Milestone
from domain.onboarding.path import onboarding_progress_by_client
from domain.onboarding.path_rules import remaining_actions
from domain.scoring.inputs import ClientInputs, gather_inputs, licensed_feature_expectations
from domain.scoring.metrics import MetricContext, feature_adoption
from domain.usage.models import EngagementEvent

NOT_CUSTOMERS = (LifecycleStatus.PROSPECT, LifecycleStatus.CHURNED)
CONTENT_TYPES = (EventType.CONTENT_GENERATED, EventType.VISUAL_CREATED)


@dataclass(slots=True)
class _Counts:
    actions: int = 0
    actions_prev: int = 0
    tasks: int = 0
    content: int = 0
    content_prev: int = 0
    active_days: int = 0
    milestones: list[tuple[str, str, dt.date]] = field(default_factory=list)


def gather_week_facts(*, db_session: Session, workspace_id: int, week_start: dt.date) -> dict[int, WeekFacts]:
    """The week starting `week_start` (and the week before) for every customer of the workspace."""
    week_end = week_start + dt.timedelta(days=6)
    clients = list(
        db_session.scalars(
            select(Client.id).where(
                Client.workspace_id == workspace_id,
                Client.lifecycle_status.not_in(NOT_CUSTOMERS),
                Client.contract_start_date <= week_end,
            )
        )
    )
    counts: dict[int, _Counts] = defaultdict(_Counts)
    _add_event_counts(db_session, workspace_id, week_start, counts)
    _add_milestones(db_session, workspace_id, week_start, counts)
    inputs = gather_inputs(db_session=db_session, workspace_id=workspace_id, as_of=week_end)
    features = licensed_feature_expectations(db_session=db_session, workspace_id=workspace_id)
    progress = onboarding_progress_by_client(db_session=db_session, workspace_id=workspace_id)
    facts = {}
    for client_id in clients:
        count = counts[client_id]
        onboarding = progress.get(client_id)
        remaining = None
        if onboarding is not None and onboarding.fully_activated_at is None and onboarding.started_on <= week_end:
            remaining = tuple(remaining_actions(onboarding.completed))
        facts[client_id] = WeekFacts(
            week_start=week_start,
            active_days=count.active_days,
            actions=count.actions,
            actions_prev=count.actions_prev,
            tasks_completed=count.tasks,
            content=count.content,
            content_prev=count.content_prev,
            last_active_day=inputs[client_id].last_active_day,
            milestones=tuple(sorted(count.milestones, key=lambda item: (item[2], item[0]))),
            onboarding_remaining=remaining,
            **_feature_facts(inputs[client_id], features),
        )
    return facts


def _add_event_counts(session: Session, workspace_id: int, week_start: dt.date, counts: dict[int, _Counts]) -> None:
    week_end = week_start + dt.timedelta(days=6)
    event = EngagementEvent
    this_week = event.occurred_on >= week_start
    is_content = event.event_type.in_(CONTENT_TYPES)
    rows = session.execute(
        select(
            event.client_id,
            func.count(case((this_week, 1))),
            func.count(case((~this_week, 1))),
            func.count(case((this_week & (event.event_type == EventType.TASK_COMPLETED), 1))),
            func.count(case((this_week & is_content, 1))),
            func.count(case((~this_week & is_content, 1))),
            func.count(distinct(case((this_week, event.occurred_on)))),
        )
        .join(Client, Client.id == event.client_id)
        .where(
            Client.workspace_id == workspace_id,
            event.occurred_on.between(week_start - dt.timedelta(days=7), week_end),
        )
        .group_by(event.client_id)
    )
    for client_id, actions, actions_prev, tasks, content, content_prev, active_days in rows:
        count = counts[client_id]
        count.actions, count.actions_prev, count.tasks = actions, actions_prev, tasks
        count.content, count.content_prev, count.active_days = content, content_prev, active_days


def _add_milestones(session: Session, workspace_id: int, week_start: dt.date, counts: dict[int, _Counts]) -> None:
    start = dt.datetime.combine(week_start, dt.time(), tzinfo=dt.UTC)
    end = start + dt.timedelta(days=7)
    labels = milestone_labels(db_session=session, workspace_id=workspace_id)
    rows = session.execute(
        select(Milestone.client_id, Milestone.milestone_type, Milestone.achieved_at)
        .join(Client, Client.id == Milestone.client_id)
        .where(Client.workspace_id == workspace_id, Milestone.achieved_at >= start, Milestone.achieved_at < end)
    )
    for client_id, key, achieved_at in rows:
        name = labels.get(key, (key.replace("_", " ").capitalize(), ""))[0]
        counts[client_id].milestones.append((key, name, achieved_at.date()))


def _feature_facts(inputs: ClientInputs, features: dict[str, tuple[str, float]]) -> dict[str, Any]:
    """Licensed features not in active use, by the same rule the health score's adoption component uses."""
    reading = feature_adoption(inputs, MetricContext(features=features))
    if reading is None:
        return {"licensed_features": 0, "unused_features": ()}
    unused = tuple(reading.details["unused"])
    return {"licensed_features": len(reading.details["active"]) + len(unused), "unused_features": unused}
