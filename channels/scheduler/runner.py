"""The scheduler process: APScheduler with its job store in our database, acting only while it holds the lease.

Any number of `csagent scheduler` (or web) processes may run; the one holding the "scheduler" JobLease starts
APScheduler and renews the lease; the others wait to take over if it stops renewing. Each job run checks the
lease again before doing anything, and every message is claimed in the Delivery table before it is sent, so
even two leaders for a moment (a paused process whose lease lapsed) cannot send a briefing twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore  # type: ignore[import-untyped]
from apscheduler.schedulers.background import BackgroundScheduler  # type: ignore[import-untyped]
from apscheduler.triggers.cron import CronTrigger  # type: ignore[import-untyped]

from channels.scheduler.jobs import JOBS, JobContext, get_job
from domain.db import session_scope
from domain.scheduling.lease import acquire_lease, holds_lease, release_lease
from domain.scheduling.runs import finish_job_run, start_job_run

logger = logging.getLogger(__name__)

LEASE_NAME = "scheduler"
LEASE_TTL = dt.timedelta(seconds=90)
RENEW_EVERY_SECONDS = 30.0
JOBSTORE_TABLE = "apscheduler_jobs"

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# APScheduler's persistent store keeps a textual reference to the job function plus pickled arguments, so the
# function must be importable by name; it finds the process's running leader here.
_leaders: dict[str, LeaderScheduler] = {}


def run_scheduled_job(holder: str, name: str) -> None:
    """What APScheduler calls: run `name` through the leader that scheduled it."""
    leader = _leaders.get(holder)
    if leader is None:
        logger.warning("job %s fired for scheduler %s, which is not running here; skipped", name, holder)
        return
    leader.run_job(name)


class LeaderScheduler:
    """One process's scheduler: leads while it holds the lease, runs jobs only then."""

    def __init__(self, context: JobContext, *, holder: str | None = None, clock: Clock = utc_now) -> None:
        self.context = context
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.clock = clock
        self._scheduler: BackgroundScheduler | None = None
        self._stop = threading.Event()

    def try_lead(self) -> bool:
        """Take or renew the lease; True while this process is the leader."""
        with session_scope(self.context.sessions) as session:
            return acquire_lease(
                db_session=session, name=LEASE_NAME, holder=self.holder, now=self.clock(), ttl=LEASE_TTL
            )

    def is_leader(self) -> bool:
        with session_scope(self.context.sessions) as session:
            return holds_lease(db_session=session, name=LEASE_NAME, holder=self.holder, now=self.clock())

    def run_job(self, name: str) -> str | None:
        """Run one job now if this process leads; None when it does not (another process is in charge)."""
        job = get_job(name)
        if not self.is_leader():
            logger.info("job %s skipped: %s does not hold the scheduler lease", name, self.holder)
            return None
        return run_job_once(self.context, job.name, self.clock())

    def start(self) -> None:
        """Start APScheduler with every job (idempotent: the persistent store is updated in place)."""
        if self._scheduler is not None:
            return
        store = SQLAlchemyJobStore(engine=self.context.engine, tablename=JOBSTORE_TABLE)
        scheduler = BackgroundScheduler(
            jobstores={"default": store},
            timezone=dt.UTC,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 15 * 60},
        )
        for job in JOBS.values():
            scheduler.add_job(
                run_scheduled_job, CronTrigger(timezone=dt.UTC, **job.cron), args=[self.holder, job.name],
                id=job.name, name=job.description, replace_existing=True,
            )  # fmt: skip
        _leaders[self.holder] = self
        scheduler.start()
        self._scheduler = scheduler
        logger.info("scheduler %s leads: %d jobs scheduled", self.holder, len(JOBS))

    def next_runs(self) -> dict[str, dt.datetime | None]:
        if self._scheduler is None:
            return {}
        return {job.id: job.next_run_time for job in self._scheduler.get_jobs()}

    def stop_leading(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=True)
            self._scheduler = None
        _leaders.pop(self.holder, None)
        with session_scope(self.context.sessions) as session:
            release_lease(db_session=session, name=LEASE_NAME, holder=self.holder)

    def tick(self) -> bool:
        """One round of the loop: lead (start) if the lease is ours, step down if it is not."""
        leading = self.try_lead()
        if leading:
            self.start()
        elif self._scheduler is not None:
            logger.warning("scheduler %s lost the lease; stepping down", self.holder)
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
            _leaders.pop(self.holder, None)
        return leading

    def serve_forever(self, on_change: Callable[[bool], None] | None = None) -> None:
        """Renew the lease every few seconds until stop() is called; then release it."""
        leading: bool | None = None
        try:
            while not self._stop.is_set():
                now_leading = self.tick()
                if now_leading != leading and on_change is not None:
                    on_change(now_leading)
                leading = now_leading
                self._stop.wait(RENEW_EVERY_SECONDS)
        finally:
            self.stop_leading()

    def stop(self) -> None:
        self._stop.set()


def run_job_once(context: JobContext, name: str, now: dt.datetime) -> str:
    """Run a job now, whoever leads (`csagent jobs run`), with a JobRun row recording how it went."""
    job = get_job(name)
    with session_scope(context.sessions) as session:
        run_id = start_job_run(db_session=session, job=job.name, now=now).id
    try:
        summary = job.run(context, now)
    except Exception as error:
        with session_scope(context.sessions) as session:
            detail = f"{type(error).__name__}: {error}"
            finish_job_run(db_session=session, run_id=run_id, now=utc_now(), ok=False, detail=detail)
        raise
    with session_scope(context.sessions) as session:
        finish_job_run(db_session=session, run_id=run_id, now=utc_now(), ok=True, detail=summary)
    return summary
