"""A log of scheduled job runs: when each started and finished, and how it went."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.errors import NotFoundError
from domain.scheduling.models import JobRun

MAX_DETAIL_CHARS = 4000


def start_job_run(*, db_session: Session, job: str, now: dt.datetime) -> JobRun:
    """Record that `job` started."""
    run = JobRun(job=job, started_at=now, status="running")
    db_session.add(run)
    db_session.flush()
    return run


def finish_job_run(*, db_session: Session, run_id: int, now: dt.datetime, ok: bool, detail: str) -> JobRun:
    """Record how a run ended, with a one-paragraph summary or the error."""
    run = db_session.get(JobRun, run_id)
    if run is None:
        raise NotFoundError(f"no job run with id {run_id}")
    run.finished_at, run.status, run.detail = now, "ok" if ok else "failed", detail[:MAX_DETAIL_CHARS]
    db_session.flush()
    return run


def last_job_runs(*, db_session: Session) -> dict[str, JobRun]:
    """The latest run of each job, by job name."""
    rows = db_session.scalars(select(JobRun).order_by(JobRun.job, JobRun.started_at.desc(), JobRun.id.desc()))
    latest: dict[str, JobRun] = {}
    for row in rows:
        latest.setdefault(row.job, row)
    return latest
