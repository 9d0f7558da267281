"""The scheduler lease: one holder at a time, renewals, take-over after it lapses, on both backends."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session

from domain.db import make_session_factory, session_scope
from domain.errors import ValidationError
from domain.scheduling.lease import acquire_lease, current_holder, holds_lease, release_lease
from domain.scheduling.models import JobLease

T0 = dt.datetime(2026, 11, 22, 8, 0, tzinfo=dt.UTC)
TTL = dt.timedelta(seconds=90)


def test_first_holder_wins_until_the_lease_lapses(db_session: Session) -> None:
    name = f"lease-{uuid.uuid4().hex[:8]}"
    assert acquire_lease(db_session=db_session, name=name, holder="a", now=T0, ttl=TTL)
    assert not acquire_lease(db_session=db_session, name=name, holder="b", now=T0 + dt.timedelta(seconds=30), ttl=TTL)
    assert current_holder(db_session=db_session, name=name, now=T0 + dt.timedelta(seconds=30)) == "a"
    # a renews before it lapses: b is still kept out after the first term would have ended
    assert acquire_lease(db_session=db_session, name=name, holder="a", now=T0 + dt.timedelta(seconds=60), ttl=TTL)
    assert not acquire_lease(db_session=db_session, name=name, holder="b", now=T0 + dt.timedelta(seconds=100), ttl=TTL)
    # a stops renewing: b takes over once the lease lapsed, and a no longer holds it
    later = T0 + dt.timedelta(seconds=151)
    assert acquire_lease(db_session=db_session, name=name, holder="b", now=later, ttl=TTL)
    assert not holds_lease(db_session=db_session, name=name, holder="a", now=later)
    assert holds_lease(db_session=db_session, name=name, holder="b", now=later)


def test_release_lets_another_take_it_at_once(db_session: Session) -> None:
    name = f"lease-{uuid.uuid4().hex[:8]}"
    assert acquire_lease(db_session=db_session, name=name, holder="a", now=T0, ttl=TTL)
    assert not release_lease(db_session=db_session, name=name, holder="b")  # not b's to release
    assert release_lease(db_session=db_session, name=name, holder="a")
    assert current_holder(db_session=db_session, name=name, now=T0) is None
    assert acquire_lease(db_session=db_session, name=name, holder="b", now=T0, ttl=TTL)


def test_a_non_positive_ttl_is_refused(db_session: Session) -> None:
    with pytest.raises(ValidationError):
        acquire_lease(db_session=db_session, name="x", holder="a", now=T0, ttl=dt.timedelta(0))


@pytest.fixture
def lease_name(engine: Engine) -> Iterator[str]:
    """A lease committed for real (concurrent processes cannot share a rolled-back transaction)."""
    name = f"race-{uuid.uuid4().hex[:8]}"
    yield name
    with engine.begin() as connection:
        connection.execute(delete(JobLease).where(JobLease.name == name))


@pytest.mark.parametrize("existing", [False, True], ids=["no-row-yet", "lapsed-row"])
def test_concurrent_takers_get_one_lease(engine: Engine, lease_name: str, existing: bool) -> None:
    sessions = make_session_factory(engine)
    if existing:
        with session_scope(sessions) as session:
            acquire_lease(db_session=session, name=lease_name, holder="old", now=T0 - TTL * 2, ttl=TTL)
    start = threading.Barrier(4)
    won: list[str] = []

    def take(holder: str) -> None:
        start.wait()
        with session_scope(sessions) as session:
            if acquire_lease(db_session=session, name=lease_name, holder=holder, now=T0, ttl=TTL):
                won.append(holder)

    threads = [threading.Thread(target=take, args=(f"p{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == 1
    with session_scope(sessions) as session:
        assert current_holder(db_session=session, name=lease_name, now=T0) == won[0]
