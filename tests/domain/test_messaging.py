"""Delivery claims: one send per recipient and period, retries of failures, and concurrent claimers."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from domain.db import make_session_factory, session_scope
from domain.errors import ValidationError
from domain.messaging.models import Delivery
from domain.messaging.service import (
    claim_delivery,
    daily_period,
    find_delivery,
    mark_delivery_failed,
    mark_delivery_sent,
    weekly_period,
)
from domain.staff.models import Workspace
from tests.factories import Factory

NOW = dt.datetime(2026, 11, 22, 13, 0, tzinfo=dt.UTC)


def claim(session: Session, workspace_id: int, recipient: str, period: str = "2026-11-22") -> Delivery | None:
    return claim_delivery(
        db_session=session,
        workspace_id=workspace_id,
        kind="briefing",
        channel="email",
        recipient=recipient,
        period_key=period,
        now=NOW,
    )


def test_a_key_is_claimed_once(db_session: Session, factory: Factory) -> None:
    workspace = factory.workspace()
    first = claim(db_session, workspace.id, "jane@example.com")
    assert first is not None
    assert first.status == "pending"
    assert claim(db_session, workspace.id, "jane@example.com") is None
    assert claim(db_session, workspace.id, "jane@example.com", "2026-11-23") is not None  # the next day is free
    assert claim(db_session, workspace.id, "john@example.com") is not None  # so is another recipient
    mark_delivery_sent(db_session=db_session, delivery_id=first.id, now=NOW, message_id="<m1@csagent>")
    assert claim(db_session, workspace.id, "jane@example.com") is None  # sent stays sent


def test_a_failed_delivery_may_be_claimed_again(db_session: Session, factory: Factory) -> None:
    workspace = factory.workspace()
    first = claim(db_session, workspace.id, "jane@example.com")
    assert first is not None
    mark_delivery_failed(db_session=db_session, delivery_id=first.id, error="SMTP 451 try later")
    again = claim(db_session, workspace.id, "jane@example.com")
    assert again is not None
    assert again.id == first.id
    assert (again.status, again.error) == ("pending", None)
    assert claim(db_session, workspace.id, "jane@example.com") is None


def test_bad_claims_are_refused(db_session: Session, factory: Factory) -> None:
    workspace = factory.workspace()
    with pytest.raises(ValidationError):
        claim_delivery(
            db_session=db_session, workspace_id=workspace.id, kind="spam", channel="email",
            recipient="a@b.c", period_key="x", now=NOW,
        )  # fmt: skip
    with pytest.raises(ValidationError):
        claim(db_session, workspace.id, "  ")


def test_periods_follow_the_recipients_clock() -> None:
    late_evening_utc = dt.datetime(2026, 11, 22, 23, 30, tzinfo=dt.UTC)
    assert daily_period(late_evening_utc, "Europe/London") == "2026-11-22"
    assert daily_period(late_evening_utc, "Asia/Kolkata") == "2026-11-23"
    assert daily_period(late_evening_utc, "America/Los_Angeles") == "2026-11-22"
    assert weekly_period(dt.date(2026, 11, 22)) == "2026-W47"
    with pytest.raises(ValidationError):
        daily_period(late_evening_utc, "Mars/Olympus")


@pytest.fixture
def committed_workspace(engine: Engine) -> Iterator[int]:
    """A workspace committed for real, so separate connections race for the same claim; removed afterwards."""
    sessions = make_session_factory(engine)
    with session_scope(sessions) as session:
        workspace = Workspace(slug=f"race-{uuid.uuid4().hex[:8]}", name="Race")
        session.add(workspace)
        session.flush()
        workspace_id = workspace.id
    yield workspace_id
    with engine.begin() as connection:
        connection.execute(delete(Delivery).where(Delivery.workspace_id == workspace_id))
        connection.execute(delete(Workspace).where(Workspace.id == workspace_id))


def test_concurrent_claims_let_exactly_one_send(engine: Engine, committed_workspace: int) -> None:
    sessions = make_session_factory(engine)
    start = threading.Barrier(4)
    won: list[int] = []

    def race() -> None:
        start.wait()
        with session_scope(sessions) as session:
            row = claim(session, committed_workspace, "jane@example.com")
            if row is not None:
                won.append(row.id)

    threads = [threading.Thread(target=race) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == 1
    with session_scope(sessions) as session:
        count = session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.workspace_id == committed_workspace)
        )
        assert count == 1
        found = find_delivery(
            db_session=session, kind="briefing", channel="email", recipient="jane@example.com", period_key="2026-11-22"
        )
        assert found is not None
        assert found.id == won[0]
