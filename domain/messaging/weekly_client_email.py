"""What seed 001's weekly client success email says: score, the week's stats, insights; to opted-in contacts only.

A system job's read over one workspace (no staff actor): it lists only contacts who opted in, of current
customers, and only their own client's data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.clients.models import Client, Contact
from domain.enums import HealthStatus, InsightStatus
from domain.insights.facts import NOT_CUSTOMERS, gather_week_facts
from domain.insights.models import Insight
from domain.insights.rules import WeekFacts
from domain.scoring.models import HealthSnapshot

SUCCESS_MODEL = "success"
MAX_INSIGHTS = 3


@dataclass(frozen=True, slots=True)
class _Score:
    value: float
    status: HealthStatus
    snapshot_id: int


class WeeklyInsight(BaseModel):
    title: str
    body: str


class WeeklyClientEmail(BaseModel):
    """One contact's weekly email: every figure here is from the client's own records."""

    client_id: int
    client_name: str
    contact_id: int
    contact_name: str
    contact_email: str
    week_start: dt.date
    week_end: dt.date
    score: float | None  # the success score at the week's end
    score_status: HealthStatus | None
    score_change: float | None  # against the end of the week before
    active_days: int
    actions: int
    actions_prev: int
    tasks_completed: int
    content: int
    insights: list[WeeklyInsight]
    insight_ids: list[int]
    snapshot_id: int | None


def weekly_client_emails(*, db_session: Session, workspace_id: int, week_start: dt.date) -> list[WeeklyClientEmail]:
    """The emails for the week starting Monday `week_start`, one per opted-in contact with an address."""
    week_end = week_start + dt.timedelta(days=6)
    in_workspace = Client.workspace_id == workspace_id
    rows = db_session.execute(
        select(Contact, Client.name)
        .join(Client, Client.id == Contact.client_id)
        .where(
            in_workspace,
            Client.lifecycle_status.not_in(NOT_CUSTOMERS),
            Contact.weekly_email_opt_in.is_(True),
            Contact.is_active.is_(True),
            Contact.email.is_not(None),
        )
        .order_by(Client.name, Contact.name, Contact.id)
    ).all()
    if not rows:
        return []
    facts = gather_week_facts(db_session=db_session, workspace_id=workspace_id, week_start=week_start)
    now_scores = _success_scores(db_session, workspace_id, week_end)
    before = _success_scores(db_session, workspace_id, week_start - dt.timedelta(days=1))
    insights = _insights(db_session, workspace_id, week_start)
    emails = []
    for contact, client_name in rows:
        week = facts.get(contact.client_id, WeekFacts(week_start=week_start))
        score, earlier = now_scores.get(contact.client_id), before.get(contact.client_id)
        found = insights.get(contact.client_id, [])[:MAX_INSIGHTS]
        emails.append(
            WeeklyClientEmail(
                client_id=contact.client_id,
                client_name=client_name,
                contact_id=contact.id,
                contact_name=contact.name,
                contact_email=str(contact.email),
                week_start=week_start,
                week_end=week_end,
                score=score.value if score else None,
                score_status=score.status if score else None,
                score_change=round(score.value - earlier.value, 1) if score and earlier else None,
                active_days=week.active_days,
                actions=week.actions,
                actions_prev=week.actions_prev,
                tasks_completed=week.tasks_completed,
                content=week.content,
                insights=[WeeklyInsight(title=row.title, body=row.body) for row in found],
                insight_ids=[row.id for row in found],
                snapshot_id=score.snapshot_id if score else None,
            )
        )
    return emails


def _success_scores(db_session: Session, workspace_id: int, day: dt.date) -> dict[int, _Score]:
    """Each client's latest success score on or before `day`."""
    rank = func.row_number().over(partition_by=HealthSnapshot.client_id, order_by=HealthSnapshot.day.desc())
    ranked = (
        select(HealthSnapshot.id, HealthSnapshot.client_id, HealthSnapshot.overall_score, HealthSnapshot.status,
               rank.label("rank"))
        .join(Client, Client.id == HealthSnapshot.client_id)
        .where(Client.workspace_id == workspace_id, HealthSnapshot.model_key == SUCCESS_MODEL,
               HealthSnapshot.day <= day)
        .subquery()
    )  # fmt: skip
    rows = db_session.execute(select(ranked).where(ranked.c.rank == 1))
    return {row.client_id: _Score(round(float(row.overall_score), 1), HealthStatus(row.status), row.id) for row in rows}


def _insights(db_session: Session, workspace_id: int, week_start: dt.date) -> dict[int, list[Insight]]:
    rows = db_session.scalars(
        select(Insight)
        .join(Client, Client.id == Insight.client_id)
        .where(
            Client.workspace_id == workspace_id,
            Insight.week_start == week_start,
            Insight.status != InsightStatus.DISMISSED,
        )
        .order_by(Insight.client_id, Insight.priority, Insight.id)
    )
    found: dict[int, list[Insight]] = {}
    for row in rows:
        found.setdefault(row.client_id, []).append(row)
    return found
