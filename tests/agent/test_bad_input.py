"""Bad input through the agent gets a clear answer and changes nothing: unknown and ambiguous client names,
invalid dates, empty and oversized messages, requests outside what the agent does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agent.reply import Reply
from agent.runner import EMPTY_ANSWER
from domain.activities.models import Activity
from domain.audit import AuditLog
from domain.clients.models import Client
from domain.enums import ContractTier, LifecycleStatus
from domain.staff.models import User

JANE = "jane@demo.csagent.dev"

Ask = Callable[..., Reply]


def writes(db: Session) -> int:
    db.rollback()  # see what the agent committed
    return db.scalar(select(func.count()).select_from(AuditLog)) or 0


def ok_calls(reply: Reply) -> list[str]:
    return [call.name for call in reply.tool_calls if call.status == "ok"]


def add_client(db: Session, name: str) -> Client:
    """Another client of Jane's, committed so the agent's own sessions see it."""
    jane = db.scalars(select(User).where(User.email == JANE)).one()
    client = Client(
        workspace_id=jane.workspace_id,
        name=name,
        industry="Logistics",
        lifecycle_status=LifecycleStatus.ACTIVE,
        contract_tier=ContractTier.PROFESSIONAL,
        contract_start_date=dt.date(2025, 1, 1),
        annual_recurring_revenue=Decimal("50000"),
        csm_user_id=jane.id,
    )
    db.add(client)
    db.commit()
    return client


# --- unknown client --------------------------------------------------------------------------------------------

UNKNOWN = ["why is zorblax dropping", "what's going on with zorblax industries", "log a call with zorblax"]


@pytest.mark.parametrize("text", UNKNOWN)
def test_an_unknown_client_runs_nothing_and_writes_nothing(ask: Ask, db: Session, text: str) -> None:
    before = writes(db)
    reply = ask(text)
    assert not ok_calls(reply)
    assert reply.pending_confirmation is None
    assert reply.answer
    ask("yes")
    assert writes(db) == before


@pytest.mark.parametrize("text", UNKNOWN)
def test_an_unknown_client_is_reported_as_not_found(ask: Ask, text: str) -> None:
    reply = ask(text)
    assert all(call.status == "error" for call in reply.tool_calls)
    lowered = reply.answer.lower()
    assert "couldn't find a client" in lowered or "no client called" in lowered


def test_a_near_miss_suggests_the_closest_client(ask: Ask) -> None:
    reply = ask("why is akme dropping")
    assert not ok_calls(reply)
    assert reply.pending_confirmation is None
    assert "Acme Corp" in reply.answer


@pytest.mark.parametrize("text", ["why is acmee dropping", "why is acme corpp dropping", "how is northwnd logistics"])
def test_a_typo_close_enough_is_resolved(ask: Ask, text: str) -> None:
    reply = ask(text)
    (call,) = reply.tool_calls
    assert call.status == "ok"
    assert call.args["client"] in ("Acme Corp", "Northwind Logistics")


@pytest.mark.parametrize("text", ["log a call with zorblax", "why is zorblax dropping"])
def test_an_unknown_client_is_not_replaced_by_the_last_one(ask: Ask, text: str) -> None:
    """A short follow-up may lean on the client talked about last; a message naming another one must not."""
    assert ok_calls(ask("why is acme dropping?")) == ["explain_score_drivers"]
    reply = ask(text)
    assert not [call for call in reply.tool_calls if call.args.get("client") == "Acme Corp"]
    assert reply.pending_confirmation is None


# --- ambiguous client --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("other", "text"),
    [
        ("Northwind Traders", "how is northwind doing"),
        ("Northwind Traders", "why is northwind dropping"),
        ("Northwind Traders", "log a call with northwind yesterday"),
        ("Acme Logistics", "why is acme dropping"),  # "acme" is also Acme Corp without its legal suffix
        ("Acme Logistics", "log a call with acme"),
    ],
)
def test_a_name_two_clients_share_gets_a_clarifying_question(ask: Ask, db: Session, other: str, text: str) -> None:
    existing = db.scalars(select(Client.name).where(Client.name.startswith(other.split()[0]))).one()
    add_client(db, other)
    before = writes(db)
    reply = ask(text)
    assert reply.tool_calls == []
    assert reply.pending_confirmation is None
    assert "Which client do you mean" in reply.answer
    assert existing in reply.answer
    assert other in reply.answer
    assert writes(db) == before


def test_the_full_name_is_not_ambiguous(ask: Ask, db: Session) -> None:
    add_client(db, "Acme Logistics")
    reply = ask("what's going on with acme corp")
    assert [(call.name, call.status, call.args) for call in reply.tool_calls] == [
        ("get_client_overview", "ok", {"client": "Acme Corp"})
    ]


# --- invalid dates -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "typed"),
    [
        ("log a call with acme on 2026-13-45", "2026-13-45"),
        ("log a call with acme on 2026-02-30", "2026-02-30"),
        ("log a call with acme on feb 30", "feb 30"),
        ("northwind is at 17 hours on 2026-13-01", "2026-13-01"),  # not 13 January read day-first
    ],
)
def test_an_invalid_date_is_refused_clearly_and_nothing_is_written(
    ask: Ask, db: Session, text: str, typed: str
) -> None:
    before = writes(db)
    reply = ask(text)
    assert reply.pending_confirmation is None, reply.pending_confirmation
    assert not ok_calls(reply)
    assert typed in reply.answer
    assert "date" in reply.answer.lower()
    ask("yes")
    assert writes(db) == before


# --- empty, oversized, out of scope --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\t "])
def test_an_empty_message_gets_a_hint(ask: Ask, text: str) -> None:
    reply = ask(text)
    assert reply.answer == EMPTY_ANSWER
    assert reply.tool_calls == []
    assert reply.pending_confirmation is None


def test_a_20000_character_message_is_refused_and_changes_nothing(ask: Ask, db: Session) -> None:
    before = writes(db)
    activities = db.scalar(select(func.count()).select_from(Activity))
    text = "log a call with acme, went well. " + "blah " * 4000
    assert len(text) > 20_000
    reply = ask(text[:20_000])
    assert "20,000 characters" in reply.answer
    assert "Nothing was done" in reply.answer
    assert reply.tool_calls == []
    assert reply.pending_confirmation is None
    after = ask("yes")
    assert not ok_calls(after)
    assert writes(db) == before
    assert db.scalar(select(func.count()).select_from(Activity)) == activities


def test_an_oversized_message_leaves_a_pending_write_pending(ask: Ask, db: Session) -> None:
    before = writes(db)
    assert ask("log a call with acme").pending_confirmation is not None
    refused = ask("x" * 20_000)
    assert "Nothing was done" in refused.answer
    assert writes(db) == before
    assert ok_calls(ask("yes")) == ["log_activity"]
    assert writes(db) > before


@pytest.mark.parametrize(
    "text",
    ["what's the weather", "what's the weather in boston tomorrow?", "write me a poem", "book a flight to boston"],
)
def test_out_of_scope_is_declined_politely_without_tools(ask: Ask, text: str) -> None:
    reply = ask(text)
    assert reply.tool_calls == []
    assert reply.pending_confirmation is None
    assert reply.answer.startswith("That's outside what I can help with.")
    assert "I can help with your clients" in reply.answer


def test_a_yes_with_nothing_pending_does_nothing(ask: Ask, db: Session) -> None:
    before = writes(db)
    reply = ask("yes")
    assert reply.tool_calls == []
    assert reply.pending_confirmation is None
    assert writes(db) == before


def test_an_activity_is_not_logged_as_done_in_the_future(ask: Ask, db: Session) -> None:
    reply = ask("log a call with acme tomorrow")
    assert reply.pending_confirmation is None
    assert "Nov 23, 2026" in reply.answer  # says which day it cannot log as done
    ask("yes")
    db.rollback()
    future = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
    assert db.scalar(select(func.count()).select_from(Activity).where(Activity.occurred_at >= future)) == 0
