"""Every write tool through the graph: the planner's proposed arguments, the confirmation card, nothing written
before "yes", exactly one row (checked field by field against the database) after it, and none after a second
"yes". WRITE_CASES is shared with test_confirmation.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agent.reply import Reply
from domain.activities.models import Activity, Note
from domain.alerts.models import Alert
from domain.audit import AuditLog
from domain.clients.models import Client, Contact
from domain.enums import AlertStatus, RiskStatus
from domain.staff.models import User
from domain.success.models import BaselineSnapshot, ClientFeedback, Intervention, OutcomeEntry, ResultTarget, Risk

AS_OF = dt.date(2026, 11, 22)
NOW = dt.datetime(2026, 11, 22, 15, 0, tzinfo=dt.UTC)
JANE = "jane@demo.csagent.dev"

Ask = Callable[..., Reply]
Check = Callable[[Session, Any, dict[str, Any]], None]


@dataclass(frozen=True)
class Ids:
    """Rows a message has to name by number, looked up in the demo rather than hard-coded."""

    alert_id: int  # an open alert on Acme Corp
    risk_id: int  # an open risk at Northwind Logistics


@dataclass(frozen=True)
class WriteCase:
    tool: str
    text: str  # may name {alert_id} / {risk_id}
    expected: Callable[[Ids], dict[str, Any]]  # arguments the planner must propose (a subset)
    entity: str  # the audit log's entity_type for this write
    model: type[Any]
    inserts: bool  # a new row (else an update of an existing one)
    check: Check  # the written row against the arguments that were confirmed
    answer: Callable[[dict[str, Any]], list[str]]  # what the answer must say, from the tool result
    edits: tuple[str | dict[str, Any], ...] = ()  # plain-words or structured edits, in order
    edited: dict[str, Any] = field(default_factory=dict)  # the arguments after the edits (a subset)

    def __str__(self) -> str:
        return self.tool


def client_id(db: Session, name: str) -> int:
    return db.scalars(select(Client.id).where(Client.name == name)).one()


def user_id(db: Session, email: str) -> int:
    return db.scalars(select(User.id).where(User.email == email)).one()


def active_target(db: Session, client: str) -> ResultTarget:
    return db.scalars(
        select(ResultTarget).where(ResultTarget.client_id == client_id(db, client), ResultTarget.is_active.is_(True))
    ).one()


def check_activity(db: Session, row: Activity, args: dict[str, Any]) -> None:
    assert row.client_id == client_id(db, args["client"])
    assert row.activity_type.value == args["activity_type"]
    assert row.subject == args["subject"]
    assert row.description == args.get("notes")
    assert row.occurred_at.date().isoformat() == args["occurred_on"]
    assert row.duration_minutes == args.get("duration_minutes")
    assert (row.outcome.value if row.outcome else None) == args.get("outcome")
    assert (row.follow_up_date.isoformat() if row.follow_up_date else None) == args.get("follow_up_date")
    assert row.performed_by_id == user_id(db, JANE)
    names = db.scalars(select(Contact.name).where(Contact.id.in_([int(i) for i in row.contact_ids]))).all()
    assert sorted(names) == sorted(args.get("contacts", []))


def check_note(db: Session, row: Note, args: dict[str, Any]) -> None:
    assert row.client_id == client_id(db, args["client"])
    assert row.content == args["content"]
    assert row.is_private == args.get("private", False)
    assert row.note_type.value == args.get("note_type", "GENERAL")
    assert row.created_by_id == user_id(db, JANE)


def check_alert(db: Session, row: Alert, args: dict[str, Any]) -> None:
    assert row.id == args["alert_id"]
    if args["action"] == "acknowledge":
        assert row.status is AlertStatus.ACKNOWLEDGED
        assert row.acknowledged_by_id == user_id(db, JANE)
    elif args["action"] == "snooze":
        assert row.status is AlertStatus.SNOOZED
        assert row.snoozed_until == NOW + dt.timedelta(days=args["snooze_days"])
    else:  # pragma: no cover - the cases only acknowledge and snooze
        raise AssertionError(args)


def check_target(db: Session, row: ResultTarget, args: dict[str, Any]) -> None:
    assert row.client_id == client_id(db, args["client"])
    assert (row.metric, row.unit) == (args["metric"], args["unit"])
    assert row.current_value == Decimal(str(args["current_value"]))
    assert row.target_value == Decimal(str(args["target_value"]))
    assert row.target_date.isoformat() == args["target_date"]
    assert row.direction.value == args["direction"]
    assert row.is_active
    assert active_target(db, args["client"]).id == row.id  # the previous target is history now


def check_baseline(db: Session, row: BaselineSnapshot, args: dict[str, Any]) -> None:
    assert row.client_id == client_id(db, args["client"])
    target = active_target(db, args["client"])
    assert Decimal(str(row.metrics[target.metric]["value"])) == Decimal(str(args["value"]))
    assert row.captured_on == AS_OF


def check_intervention(db: Session, row: Intervention, args: dict[str, Any]) -> None:
    assert row.client_id == client_id(db, args["client"])
    assert row.kind.value == args["kind"]
    assert row.title == args["title"]
    assert row.occurred_on.isoformat() == args["occurred_on"]


def check_outcome(db: Session, row: OutcomeEntry, args: dict[str, Any]) -> None:
    assert row.client_id == client_id(db, args["client"])
    target = active_target(db, args["client"])
    assert (row.metric, row.unit) == (target.metric, target.unit)  # "hours" is the target's hours/week
    assert row.value == Decimal(str(args["value"]))
    week_of = dt.date.fromisoformat(args["week_of"])
    assert row.week_start == week_of - dt.timedelta(days=week_of.weekday())


def check_new_risk(db: Session, row: Risk, args: dict[str, Any]) -> None:
    assert row.client_id == client_id(db, args["client"])
    assert row.description == args["description"]
    assert row.severity == args["severity"]
    assert row.status is RiskStatus.OPEN
    assert row.raised_on == AS_OF


def check_resolved_risk(db: Session, row: Risk, args: dict[str, Any]) -> None:
    assert row.client_id == client_id(db, args["client"])
    assert str(row.id) == args["risk"]
    assert row.status is RiskStatus.RESOLVED
    assert row.resolution == args["resolution"]
    assert row.resolved_at == NOW


def check_feedback(db: Session, row: ClientFeedback, args: dict[str, Any]) -> None:
    assert row.client_id == client_id(db, args["client"])
    assert row.response == args["response"]
    assert row.sentiment == args.get("sentiment")
    assert row.received_on == AS_OF


WRITE_CASES = [
    WriteCase(
        tool="log_activity",
        text="log a 30 min call with sarah at acme, went well, follow up next friday",
        expected=lambda ids: {
            "client": "Acme Corp",
            "activity_type": "CALL",
            "occurred_on": "2026-11-22",
            "duration_minutes": 30,
            "contacts": ["Sarah Chen"],
            "outcome": "SUCCESSFUL_ENGAGEMENT",
            "follow_up_date": "2026-11-27",
        },
        entity="activity",
        model=Activity,
        inserts=True,
        check=check_activity,
        answer=lambda r: [f"(activity #{r['activity']['id']})", f"({r['activity']['duration_minutes']} min)"],
        edits=("make it 45 minutes", "follow up on tuesday"),
        edited={"duration_minutes": 45, "follow_up_date": "2026-11-24", "occurred_on": "2026-11-22"},
    ),
    WriteCase(
        tool="add_note",
        text="add a note to beta: new cfo starts in january",
        expected=lambda ids: {
            "client": "Beta Industries",
            "content": "new cfo starts in january",
            "private": False,
            "note_type": "GENERAL",
        },
        entity="note",
        model=Note,
        inserts=True,
        check=check_note,
        answer=lambda r: [f"(note #{r['note']['id']})", "**Beta Industries**"],
        edits=("content: new cfo starts in february",),
        edited={"content": "new cfo starts in february"},
    ),
    WriteCase(
        tool="update_alert",
        text="acknowledge alert {alert_id}",
        expected=lambda ids: {"action": "acknowledge", "alert_id": ids.alert_id},
        entity="alert",
        model=Alert,
        inserts=False,
        check=check_alert,
        answer=lambda r: [f"Alert #{r['alert']['id']}", "**Acme Corp**", "is now acknowledged"],
        edits=({"action": "snooze", "snooze_days": 7},),
        edited={"action": "snooze", "snooze_days": 7},
    ),
    WriteCase(
        tool="set_result_target",
        text="set a result target for riverside: cut reply time from 26 to 2 hours by march 1",
        expected=lambda ids: {
            "client": "Riverside Dental Group",
            "metric": "reply time",
            "unit": "hours",
            "current_value": 26.0,
            "target_value": 2.0,
            "target_date": "2027-03-01",
            "direction": "lower_is_better",
        },
        entity="result_target",
        model=ResultTarget,
        inserts=True,
        check=check_target,
        answer=lambda r: [f"(#{r['result_target']['target']['id']})", "from 26 to 2 hours by Mar 1, 2027"],
        edits=("by april 1",),
        edited={"target_date": "2027-04-01"},
    ),
    WriteCase(
        tool="record_baseline",
        text="record baseline for riverside 26 hours",
        expected=lambda ids: {"client": "Riverside Dental Group", "value": 26.0, "unit": "hours"},
        entity="baseline_snapshot",
        model=BaselineSnapshot,
        inserts=True,
        check=check_baseline,
        answer=lambda r: [f"(#{r['baseline']['id']})", "26 hours"],
        edits=("make it 28",),
        edited={"value": 28.0},
    ),
    WriteCase(
        tool="log_intervention",
        text="log an intervention for northwind: automated the carrier data import",
        expected=lambda ids: {
            "client": "Northwind Logistics",
            "kind": "automation",
            "title": "automated the carrier data import",
            "occurred_on": "2026-11-22",
        },
        entity="intervention",
        model=Intervention,
        inserts=True,
        check=check_intervention,
        answer=lambda r: [f"(#{r['intervention']['id']})", '"automated the carrier data import" on Nov 22, 2026'],
        edits=("it was last tuesday",),
        edited={"occurred_on": "2026-11-17"},
    ),
    WriteCase(
        tool="add_outcome_entry",
        text="northwind is at 17 hours this week",
        expected=lambda ids: {"client": "Northwind Logistics", "value": 17.0, "unit": "hours", "week_of": "2026-11-22"},
        entity="outcome_entry",
        model=OutcomeEntry,
        inserts=True,
        check=check_outcome,
        answer=lambda r: [f"(#{r['outcome']['entry']['id']})", "17 hours/week", "week of Nov 16, 2026"],
        edits=("actually 16",),
        edited={"value": 16.0},
    ),
    WriteCase(
        tool="add_risk",
        text="add a risk for northwind: ops team has no time for training",
        expected=lambda ids: {
            "client": "Northwind Logistics",
            "description": "ops team has no time for training",
            "severity": "medium",
        },
        entity="risk",
        model=Risk,
        inserts=True,
        check=check_new_risk,
        answer=lambda r: [f"Risk #{r['risk']['id']} raised (medium)", "ops team has no time for training"],
        edits=({"severity": "high"},),
        edited={"severity": "high"},
    ),
    WriteCase(
        tool="resolve_risk",
        text="resolve risk {risk_id} at northwind: IT sent the credentials",
        expected=lambda ids: {
            "client": "Northwind Logistics",
            "risk": str(ids.risk_id),
            "resolution": "IT sent the credentials",
        },
        entity="risk",
        model=Risk,
        inserts=False,
        check=check_resolved_risk,
        answer=lambda r: [f"Risk #{r['risk']['id']} resolved", "Resolution: IT sent the credentials"],
        edits=("resolution: the carrier's IT team sent the credentials",),
        edited={"resolution": "the carrier's IT team sent the credentials"},
    ),
    WriteCase(
        tool="log_feedback",
        text="northwind said the new dashboard saves them hours",
        expected=lambda ids: {
            "client": "Northwind Logistics",
            "response": "the new dashboard saves them hours",
            "sentiment": "positive",
        },
        entity="client_feedback",
        model=ClientFeedback,
        inserts=True,
        check=check_feedback,
        answer=lambda r: [f"(#{r['feedback']['id']})", '"the new dashboard saves them hours" (positive)'],
        edits=("response: the exception report is still confusing",),
        edited={"response": "the exception report is still confusing", "sentiment": "negative"},
    ),
]


@pytest.fixture
def ids(db: Session) -> Ids:
    alert = db.scalars(
        select(Alert.id)
        .where(Alert.client_id == client_id(db, "Acme Corp"), Alert.status == AlertStatus.NEW)
        .order_by(Alert.id)
    ).first()
    risk = db.scalars(
        select(Risk.id)
        .where(Risk.client_id == client_id(db, "Northwind Logistics"), Risk.status == RiskStatus.OPEN)
        .order_by(Risk.id)
    ).first()
    assert alert is not None
    assert risk is not None
    return Ids(alert_id=alert, risk_id=risk)


class Ledger:
    """What a write case changed since it was opened: new audit entries of its entity (creations, for a tool
    that inserts), and new rows of its table."""

    def __init__(self, db: Session, case: WriteCase) -> None:
        self.db, self.case = db, case
        db.rollback()
        self.audit_start = db.scalar(select(func.max(AuditLog.id))) or 0
        self.rows_start = self._rows()

    def _rows(self) -> int:
        return self.db.scalar(select(func.count()).select_from(self.case.model)) or 0

    def entries(self) -> list[AuditLog]:
        self.db.rollback()  # see what the agent committed since
        query = select(AuditLog).where(AuditLog.id > self.audit_start, AuditLog.entity_type == self.case.entity)
        if self.case.inserts:  # e.g. a new result target also deactivates the previous one
            query = query.where(AuditLog.action == "create")
        return list(self.db.scalars(query.order_by(AuditLog.id)))

    def writes(self) -> int:
        entries = self.entries()
        assert self._rows() - self.rows_start == (len(entries) if self.case.inserts else 0)
        return len(entries)

    def written(self) -> Any:
        """The one row this case wrote."""
        (entry,) = self.entries()
        row = self.db.get(self.case.model, int(entry.entity_id))
        assert row is not None
        return row


def assert_pending(reply: Reply, case: WriteCase, expected: dict[str, Any], *, edited: bool = False) -> dict[str, Any]:
    """The turn stopped at a confirmation card for this tool with (at least) these arguments."""
    pending = reply.pending_confirmation
    assert pending is not None, reply.answer
    assert pending.tool == case.tool
    assert pending.args | expected == pending.args, (pending.args, expected)
    assert pending.summary
    assert pending.summary in reply.answer
    assert "Reply **yes** to confirm" in reply.answer
    if reply.tool_calls or not edited:  # an edit re-asks without a new tool call: the card says it all
        assert [(call.name, call.status) for call in reply.tool_calls][-1:] == [(case.tool, "pending_confirmation")]
        assert reply.tool_calls[-1].args == pending.args
    return pending.args


def assert_confirmed(reply: Reply, case: WriteCase, args: dict[str, Any]) -> dict[str, Any]:
    """The turn ran the write with these exact arguments and it succeeded."""
    assert reply.pending_confirmation is None
    assert [(call.name, call.status) for call in reply.tool_calls] == [(case.tool, "ok")], reply.answer
    call = reply.tool_calls[0]
    assert call.args == args
    assert call.result is not None
    return call.result


@pytest.mark.parametrize("case", WRITE_CASES, ids=str)
def test_write_tool_proposes_confirms_and_writes_one_matching_row(
    case: WriteCase, ask: Ask, db: Session, ids: Ids
) -> None:
    ledger = Ledger(db, case)
    text = case.text.format(alert_id=ids.alert_id, risk_id=ids.risk_id)

    proposed = assert_pending(ask(text), case, case.expected(ids))
    assert ledger.writes() == 0, "nothing is written before the confirmation"

    confirmed = ask("yes")
    result = assert_confirmed(confirmed, case, proposed)
    assert ledger.writes() == 1
    row = ledger.written()
    case.check(db, row, proposed)
    assert result["source_ids"][next(iter(result["source_ids"]))] == [row.id]
    for words in case.answer(result):
        assert words in confirmed.answer

    again = ask("yes")  # nothing is waiting any more: a second "yes" changes nothing
    assert again.pending_confirmation is None
    assert not [call for call in again.tool_calls if call.status == "ok"]
    assert ledger.writes() == 1


def test_resolve_risk_by_the_words_of_its_description(ask: Ask, db: Session, ids: Ids) -> None:
    reply = ask("resolve the carrier api risk at northwind: IT sent the credentials")
    assert reply.pending_confirmation is not None
    assert reply.pending_confirmation.args["resolution"] == "IT sent the credentials"
    confirmed = ask("yes")
    assert [call.status for call in confirmed.tool_calls] == ["ok"], confirmed.answer
    db.rollback()
    risk = db.get(Risk, ids.risk_id)
    assert risk is not None
    assert risk.status is RiskStatus.RESOLVED


def test_a_note_whose_text_is_a_greeting_is_still_a_note(ask: Ask) -> None:
    reply = ask("add a note to acme: hello there")
    assert reply.pending_confirmation is not None
    assert reply.pending_confirmation.tool == "add_note"
    assert reply.pending_confirmation.args["content"] == "hello there"
