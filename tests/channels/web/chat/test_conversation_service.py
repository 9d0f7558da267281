"""Conversations: recorded per turn, titled from the first message, listed newest first, private to their owner."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.conversations.service import get_conversation, list_conversations, record_turn, title_from
from domain.enums import Role
from domain.errors import NotFoundError, ValidationError
from tests.factories import Factory

T0 = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)


def _actors(factory: Factory) -> tuple[Actor, Actor]:
    workspace = factory.workspace()
    return (
        Actor.from_user(factory.user(workspace, Role.CSM)),
        Actor.from_user(factory.user(workspace, Role.CSM)),
    )


def test_title_comes_from_the_first_message_cut_at_a_word() -> None:
    assert title_from("  which   of my clients\nare at risk?  ") == "which of my clients are at risk?"
    long = "why " * 40
    title = title_from(long)
    assert len(title) <= 80
    assert title.endswith("…")
    assert not title.endswith(" …")
    assert title_from("   ") == "New conversation"


def test_first_turn_creates_later_turns_refresh(db_session: Session, factory: Factory) -> None:
    jane, _ = _actors(factory)
    first = record_turn(
        db_session=db_session, actor=jane, thread_id="t-1", channel="web", text="who is at risk?", now=T0
    )
    later = record_turn(
        db_session=db_session, actor=jane, thread_id="t-1", channel="web", text="why?", now=T0 + dt.timedelta(hours=1)
    )
    assert first.title == later.title == "who is at risk?"
    assert later.created_at == T0
    assert later.last_message_at == T0 + dt.timedelta(hours=1)


def test_list_is_newest_first_and_only_mine(db_session: Session, factory: Factory) -> None:
    jane, john = _actors(factory)
    for hour, thread in enumerate(["a", "b", "c"]):
        record_turn(
            db_session=db_session, actor=jane, thread_id=f"jane-{thread}", channel="web", text=thread,
            now=T0 + dt.timedelta(hours=hour),
        )  # fmt: skip
    record_turn(db_session=db_session, actor=john, thread_id="john-a", channel="web", text="mine", now=T0)
    record_turn(
        db_session=db_session,
        actor=jane,
        thread_id="jane-a",
        channel="web",
        text="again",
        now=T0 + dt.timedelta(hours=5),
    )
    listed = list_conversations(db_session=db_session, actor=jane, channel="web")
    assert [c.thread_id for c in listed] == ["jane-a", "jane-c", "jane-b"]
    assert list_conversations(db_session=db_session, actor=jane, channel="slack") == []


def test_another_users_thread_is_missing_and_untouched(db_session: Session, factory: Factory) -> None:
    jane, john = _actors(factory)
    record_turn(db_session=db_session, actor=jane, thread_id="secret", channel="web", text="private", now=T0)
    with pytest.raises(NotFoundError):
        get_conversation(db_session=db_session, actor=john, thread_id="secret")
    with pytest.raises(NotFoundError):
        record_turn(db_session=db_session, actor=john, thread_id="secret", channel="web", text="hijack", now=T0)
    assert get_conversation(db_session=db_session, actor=jane, thread_id="secret").last_message_at == T0


def test_blank_thread_id_is_refused(db_session: Session, factory: Factory) -> None:
    jane, _ = _actors(factory)
    with pytest.raises(ValidationError):
        record_turn(db_session=db_session, actor=jane, thread_id=" ", channel="web", text="hi", now=T0)
