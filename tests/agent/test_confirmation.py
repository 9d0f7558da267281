"""Confirmation of writes, for every write tool: a retried message (same channel message id) writes once, an
edit re-asks with the edited arguments and then writes them, "no" writes nothing, and auto-confirm (the CLI's
--yes) writes once. The first-"yes" and second-"yes" paths are in test_tools_writes.py."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from agent.reply import Reply
from tests.agent.test_tools_writes import (
    WRITE_CASES,
    Ids,
    Ledger,
    WriteCase,
    assert_confirmed,
    assert_pending,
    ids,
)

__all__ = ["ids"]  # the fixture, shared with test_tools_writes.py

Ask = Callable[..., Reply]


def text_of(case: WriteCase, ids: Ids) -> str:
    return case.text.format(alert_id=ids.alert_id, risk_id=ids.risk_id)


@pytest.mark.parametrize("case", WRITE_CASES, ids=str)
def test_a_message_retried_before_confirming_writes_once_with_its_own_arguments(
    case: WriteCase, ask: Ask, db: Session, ids: Ids
) -> None:
    """A channel delivers the same event twice (same message id) while its confirmation is open, and then the
    "yes" twice too: one write, with the arguments first proposed."""
    ledger = Ledger(db, case)
    proposed = assert_pending(ask(text_of(case, ids), message_id="m1"), case, case.expected(ids))
    retried = ask(text_of(case, ids), message_id="m1")
    assert ledger.writes() == 0
    assert retried.pending_confirmation is not None
    assert retried.pending_confirmation.tool == case.tool
    assert retried.pending_confirmation.args == proposed

    assert_confirmed(ask("yes", message_id="y1"), case, proposed)
    assert ledger.writes() == 1
    again = ask("yes", message_id="y1")
    assert again.pending_confirmation is None
    assert ledger.writes() == 1
    case.check(db, ledger.written(), proposed)


@pytest.mark.parametrize("case", WRITE_CASES, ids=str)
def test_a_message_retried_after_confirming_writes_nothing_more(
    case: WriteCase, ask: Ask, db: Session, ids: Ids
) -> None:
    """The same event arrives again after its write was confirmed (a late Slack retry): still one write."""
    ledger = Ledger(db, case)
    proposed = assert_pending(ask(text_of(case, ids), message_id="m1"), case, case.expected(ids))
    assert_confirmed(ask("yes"), case, proposed)
    assert ledger.writes() == 1

    retried = ask(text_of(case, ids), message_id="m1")
    for call in retried.tool_calls:  # nothing but the same write may come of the same message
        assert (call.name, call.args) == (case.tool, proposed)
    if retried.pending_confirmation is not None:
        assert retried.pending_confirmation.args == proposed  # the same write, which the key makes a no-op
        ask("yes")
    assert ledger.writes() == 1
    case.check(db, ledger.written(), proposed)


@pytest.mark.parametrize("case", WRITE_CASES, ids=str)
def test_an_edit_asks_again_with_the_edited_arguments_then_writes_them(
    case: WriteCase, ask: Ask, db: Session, ids: Ids
) -> None:
    ledger = Ledger(db, case)
    args = assert_pending(ask(text_of(case, ids)), case, case.expected(ids))
    for edit in case.edits:
        reply = ask("", edit=edit) if isinstance(edit, dict) else ask(edit)
        changed = edit if isinstance(edit, dict) else {}
        args = assert_pending(reply, case, changed, edited=True)
        assert ledger.writes() == 0
    assert args | case.edited == args, (args, case.edited)
    unchanged = {key: value for key, value in case.expected(ids).items() if key not in case.edited}
    assert args | unchanged == args, "an edit changes only what it names"

    assert_confirmed(ask("yes"), case, args)
    assert ledger.writes() == 1
    case.check(db, ledger.written(), args)


@pytest.mark.parametrize("case", WRITE_CASES, ids=str)
def test_no_cancels_and_writes_nothing(case: WriteCase, ask: Ask, db: Session, ids: Ids) -> None:
    ledger = Ledger(db, case)
    assert_pending(ask(text_of(case, ids)), case, case.expected(ids))

    cancelled = ask("no")
    assert cancelled.pending_confirmation is None
    assert [(call.name, call.status) for call in cancelled.tool_calls] == [(case.tool, "cancelled")]
    assert "Cancelled" in cancelled.answer
    assert "nothing was written" in cancelled.answer
    assert ledger.writes() == 0

    after = ask("yes")  # nothing left to confirm
    assert after.pending_confirmation is None
    assert not [call for call in after.tool_calls if call.status == "ok"]
    assert ledger.writes() == 0


@pytest.mark.parametrize("case", WRITE_CASES, ids=str)
def test_auto_confirm_writes_once_without_asking(case: WriteCase, ask: Ask, db: Session, ids: Ids) -> None:
    ledger = Ledger(db, case)
    reply = ask(text_of(case, ids), yes=True)
    assert reply.pending_confirmation is None
    assert [(call.name, call.status) for call in reply.tool_calls] == [(case.tool, "ok")], reply.answer
    args = reply.tool_calls[0].args
    assert args | case.expected(ids) == args
    assert ledger.writes() == 1
    case.check(db, ledger.written(), args)
    result = reply.tool_calls[0].result
    assert result is not None
    for words in case.answer(result):
        assert words in reply.answer


def test_editing_feedback_text_rederives_its_sentiment(ask: Ask) -> None:
    first = ask("northwind said the new dashboard saves them hours")
    assert first.pending_confirmation is not None
    assert first.pending_confirmation.args["sentiment"] == "positive"
    edited = ask("response: the dashboards are slow and confusing")
    assert edited.pending_confirmation is not None
    assert edited.pending_confirmation.args["response"] == "the dashboards are slow and confusing"
    assert edited.pending_confirmation.args["sentiment"] == "negative"


def test_a_retried_yes_does_not_confirm_a_later_write(ask: Ask, db: Session) -> None:
    notes = Ledger(db, next(case for case in WRITE_CASES if case.tool == "add_note"))
    assert ask("log a call with acme", message_id="m1").pending_confirmation is not None
    assert ask("yes", message_id="y1").tool_calls[0].status == "ok"
    assert ask("add a note to beta: new cfo starts in january", message_id="m2").pending_confirmation is not None

    retried = ask("yes", message_id="y1")  # the channel delivers the first "yes" again
    assert notes.writes() == 0, "a note nobody confirmed was written"
    assert retried.pending_confirmation is not None
    assert retried.pending_confirmation.tool == "add_note"
    assert ask("yes", message_id="y2").tool_calls[0].status == "ok"  # a new "yes" confirms it
    assert notes.writes() == 1
    assert ask("yes", message_id="y2").tool_calls == []  # and its retry, with nothing pending, runs nothing
    assert notes.writes() == 1
