"""The scheduler with a frozen clock: briefings at each user's local hour, and two schedulers never send twice."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import Engine, func, inspect, select, update
from sqlalchemy.orm import Session, sessionmaker

from channels.scheduler.jobs import JOBS, JobContext
from channels.scheduler.runner import JOBSTORE_TABLE, LeaderScheduler, run_job_once
from domain.db import session_scope
from domain.messaging.models import Delivery
from domain.scheduling.models import JobRun
from domain.scoring.models import HealthSnapshot
from domain.settings import Settings
from domain.staff.models import User
from tests.channels.email.servers import SlackStandIn, SmtpServer

MONDAY = dt.datetime(2026, 11, 23, 0, 0, tzinfo=dt.UTC)
QUARTER = dt.timedelta(minutes=15)


@pytest.fixture
def context(settings: Settings, demo_engine: Engine, sessions: sessionmaker[Session]) -> JobContext:
    with session_scope(sessions) as session:  # the hourly recompute ran at midnight UTC
        session.execute(update(HealthSnapshot).values(created_at=MONDAY))
    return JobContext(settings=settings, engine=demo_engine)


def expected_utc(user: User, day: dt.date) -> dt.datetime:
    local = dt.datetime.combine(day, dt.time(user.briefing_hour), tzinfo=ZoneInfo(user.timezone))
    return local.astimezone(dt.UTC)


def first_sends(sessions: sessionmaker[Session]) -> dict[int, dt.datetime]:
    with session_scope(sessions) as session:
        rows = session.execute(
            select(Delivery.user_id, func.min(Delivery.sent_at))
            .where(Delivery.kind == "briefing")
            .group_by(Delivery.user_id)
        )
        return {int(user_id): sent for user_id, sent in rows if user_id is not None}


def test_briefings_go_out_at_each_users_local_time(
    context: JobContext, sessions: sessionmaker[Session], smtp: SmtpServer, slack: SlackStandIn
) -> None:
    leader = LeaderScheduler(context, holder="only")
    moment = MONDAY - dt.timedelta(hours=6)  # Sunday evening in the Americas, already Monday in Kolkata
    while moment < MONDAY + dt.timedelta(days=1):
        with time_machine.travel(moment, tick=False):
            assert leader.try_lead()
            leader.run_job("briefings")
        moment += QUARTER
    with session_scope(sessions) as session:
        users = session.scalars(select(User).order_by(User.email)).all()
        sends = first_sends(sessions)
        zones = {user.timezone for user in users}
        assert len(zones) >= 6  # New York, Chicago, London, Kolkata, Los Angeles, Berlin, Denver, UTC
        for user in users:
            local_monday = dt.date(2026, 11, 23)
            assert sends.get(user.id) == expected_utc(user, local_monday), user.email
        counts = session.execute(
            select(Delivery.user_id, Delivery.channel, func.count()).group_by(Delivery.user_id, Delivery.channel)
        ).all()
        assert all(count == 1 for _, _, count in counts)  # 96 runs, one briefing per user and channel
        assert session.scalar(select(func.count()).select_from(JobRun).where(JobRun.job == "briefings")) == 120
    priya = next(item for item in smtp.received if item.rcpt_tos == ["priya@demo.csagent.dev"])
    assert "Mon" in str(priya.message["Subject"])


def test_two_schedulers_started_at_once_send_each_briefing_once(
    context: JobContext, sessions: sessionmaker[Session], smtp: SmtpServer, slack: SlackStandIn
) -> None:
    jane_at_eight = dt.datetime(2026, 11, 23, 13, 0, tzinfo=dt.UTC)
    first, second = LeaderScheduler(context, holder="a"), LeaderScheduler(context, holder="b")
    with time_machine.travel(jane_at_eight, tick=False):
        start = threading.Barrier(2)
        leads: dict[str, bool] = {}

        def race(scheduler: LeaderScheduler) -> None:
            start.wait()
            leads[scheduler.holder] = scheduler.try_lead()
            scheduler.run_job("briefings")

        threads = [threading.Thread(target=race, args=(s,)) for s in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(leads.values()) == [False, True]
        # Even if both ran the job regardless of the lease (a paused leader waking up), the claims hold.
        for scheduler in (first, second):
            run_job_once(scheduler.context, "briefings", jane_at_eight)
    with session_scope(sessions) as session:
        jane = session.scalars(select(User).where(User.email == "jane@demo.csagent.dev")).one()
        rows = session.scalars(select(Delivery).where(Delivery.user_id == jane.id)).all()
        assert [(row.channel, row.status) for row in rows] == [("slack", "sent")]
    assert len([post for post in slack.posts() if post["channel"] == "DU0DEMO03"]) == 1


def test_the_job_store_lives_in_the_database_and_a_follower_takes_over(
    context: JobContext, demo_engine: Engine
) -> None:
    first, second = LeaderScheduler(context, holder="a"), LeaderScheduler(context, holder="b")
    try:
        assert first.tick()
        assert not second.tick()
        assert JOBSTORE_TABLE in inspect(demo_engine).get_table_names()
        runs = first.next_runs()
        assert set(runs) == set(JOBS)
        briefing_run = runs["briefings"]
        assert briefing_run is not None
        assert briefing_run.minute % 15 == 0
        assert second.run_job("briefings") is None  # a follower never acts
    finally:
        first.stop_leading()
    try:
        assert second.tick()  # the lease was released: the follower leads at once
        assert set(second.next_runs()) == set(JOBS)
        with demo_engine.connect() as connection:
            stored = connection.exec_driver_sql(f"SELECT id FROM {JOBSTORE_TABLE} ORDER BY id").scalars().all()
        assert sorted(stored) == sorted(JOBS)
    finally:
        second.stop_leading()
