"""A delivery is claimed once: retries (same channel and id) find it claimed; a released claim can be retaken."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from domain.conversations.inbound import claim_in_session, claim_inbound, external_key, release_inbound
from domain.conversations.models import ChannelEvent
from domain.db import make_session_factory

NOW = dt.datetime(2026, 11, 22, 15, 0, tzinfo=dt.UTC)


def test_a_second_claim_of_the_same_delivery_is_refused(engine: Engine) -> None:
    sessions = make_session_factory(engine)
    event_id = f"Ev{uuid.uuid4().hex}"
    assert claim_inbound(sessions, channel="slack", external_id=event_id, now=NOW) is True
    assert claim_inbound(sessions, channel="slack", external_id=event_id, now=NOW) is False
    assert claim_inbound(sessions, channel="email", external_id=event_id, now=NOW) is True  # ids are per channel


def test_a_released_claim_can_be_taken_again(engine: Engine) -> None:
    sessions = make_session_factory(engine)
    message_id = f"<{uuid.uuid4().hex}@mail.example>"
    assert claim_inbound(sessions, channel="email", external_id=message_id, now=NOW)
    release_inbound(sessions, channel="email", external_id=message_id)
    assert claim_inbound(sessions, channel="email", external_id=message_id, now=NOW)


def test_a_claim_in_session_rolls_back_with_its_transaction(db_session: Session) -> None:
    outer = db_session.begin_nested()
    assert claim_in_session(db_session, channel="turn", external_id="t1:m1", now=NOW)
    assert not claim_in_session(db_session, channel="turn", external_id="t1:m1", now=NOW)
    outer.rollback()
    assert claim_in_session(db_session, channel="turn", external_id="t1:m1", now=NOW)


def test_long_ids_are_hashed_to_fit_and_stay_distinct(db_session: Session) -> None:
    first, second = "x" * 300 + "a", "x" * 300 + "b"
    assert len(external_key(first)) <= 255
    assert external_key(first) != external_key(second)
    assert claim_in_session(db_session, channel="email", external_id=first, now=NOW)
    assert claim_in_session(db_session, channel="email", external_id=second, now=NOW)
    stored = select(func.count()).where(ChannelEvent.external_id.in_([external_key(first), external_key(second)]))
    assert db_session.scalar(stored) == 2
