"""Every scheduled job: its name, cadence and what it does. `csagent jobs list` / `jobs run NAME` read this.

Cadences are cron fields in UTC; per-user timing (briefings at each user's local hour) is decided inside the
job, which runs every quarter hour, so a preference change needs no rescheduling.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from channels.scheduler.briefings import send_due_briefings
from channels.scheduler.weekly_email import previous_week_start, send_weekly_emails
from domain.db import make_session_factory, session_scope
from domain.errors import NotFoundError
from domain.insights.service import generate_weekly_insights
from domain.jobs import refresh_derived_data
from domain.onboarding.interventions import ensure_default_rules, run_daily_interventions
from domain.settings import Settings
from domain.staff.models import Workspace


@dataclass(frozen=True)
class JobContext:
    settings: Settings
    engine: Engine

    @property
    def sessions(self) -> sessionmaker[Session]:
        return make_session_factory(self.engine)


@dataclass(frozen=True)
class Job:
    name: str
    description: str
    cron: dict[str, str]  # APScheduler CronTrigger fields, UTC
    run: Callable[[JobContext, dt.datetime], str]  # returns a one-line summary

    @property
    def cadence(self) -> str:
        return " ".join(f"{key}={value}" for key, value in self.cron.items())


def _workspace_ids(session: Session) -> list[int]:
    return list(session.scalars(select(Workspace.id).order_by(Workspace.id)))


def recompute(context: JobContext, now: dt.datetime) -> str:
    """Scores, churn, milestones and alerts for today, in every workspace."""
    totals: dict[str, int] = {}
    with session_scope(context.sessions) as session:
        for workspace_id in _workspace_ids(session):
            report = refresh_derived_data(db_session=session, workspace_id=workspace_id, as_of=now.date(), now=now)
            for key, value in report.model_dump().items():
                if isinstance(value, int) and key != "workspace_id":
                    totals[key] = totals.get(key, 0) + value
    return ", ".join(f"{key.replace('_', ' ')}: {value}" for key, value in totals.items()) or "no workspaces"


def briefings(context: JobContext, now: dt.datetime) -> str:
    outcomes = send_due_briefings(context.settings, context.sessions, now)
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    return ", ".join(f"{status}: {count}" for status, count in sorted(counts.items())) or "nobody due"


def weekly_insights(context: JobContext, now: dt.datetime) -> str:
    week = previous_week_start(now.date())
    with session_scope(context.sessions) as session:
        created = sum(
            generate_weekly_insights(db_session=session, workspace_id=workspace_id, week_start=week)
            for workspace_id in _workspace_ids(session)
        )
    return f"{created} new insights for the week of {week}"


def weekly_emails(context: JobContext, now: dt.datetime) -> str:
    report = send_weekly_emails(context.settings, context.sessions, now)
    return report.skipped or ", ".join(
        f"{k.replace('_', ' ')}: {v}" for k, v in dataclasses.asdict(report).items() if k != "skipped"
    )


def interventions(context: JobContext, now: dt.datetime) -> str:
    recommended = 0
    with session_scope(context.sessions) as session:
        for workspace_id in _workspace_ids(session):
            ensure_default_rules(db_session=session, workspace_id=workspace_id)
            report = run_daily_interventions(db_session=session, workspace_id=workspace_id, as_of=now.date())
            recommended += report.recommended
    return f"{recommended} interventions recommended"


def index_upkeep(context: JobContext, now: dt.datetime) -> str:
    """Reconcile the vector index with the database (it is derived, so drift is repaired, never kept)."""
    from agent.retrieval.config import RetrievalConfig  # heavy: loaded only when the job runs
    from agent.retrieval.index import open_index
    from agent.retrieval.sync import sync_workspace

    index = open_index(RetrievalConfig.from_settings(context.settings))
    reports: list[Any] = []
    with session_scope(context.sessions) as session:
        for workspace_id in _workspace_ids(session):
            reports.append(sync_workspace(db_session=session, index=index, workspace_id=workspace_id))
    return f"{len(reports)} workspace index(es) reconciled"


JOBS: dict[str, Job] = {
    job.name: job
    for job in (
        Job("recompute", "Recompute scores, churn and milestones; evaluate alerts", {"minute": "5"}, recompute),
        Job("briefings", "Send each user's briefing at their local time", {"minute": "*/15"}, briefings),
        Job("weekly_insights", "Generate last week's client insights", {"day_of_week": "mon", "hour": "5"},
            weekly_insights),
        Job("weekly_emails", "Email opted-in contacts their week", {"day_of_week": "mon", "hour": "6"}, weekly_emails),
        Job("interventions", "Run the daily intervention rules", {"hour": "4", "minute": "15"}, interventions),
        Job("index_upkeep", "Reconcile the timeline vector index", {"hour": "3", "minute": "30"}, index_upkeep),
    )
}  # fmt: skip


def get_job(name: str) -> Job:
    try:
        return JOBS[name]
    except KeyError:
        raise NotFoundError(f"no job called {name!r}; jobs: {', '.join(JOBS)}") from None
