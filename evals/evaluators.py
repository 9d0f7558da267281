"""Evaluators: each check of a case returns pass/fail with a reason a person can act on.

They read what a conversation produced (the turns' replies, as `csagent ask --json` objects) and the case's
database after it (compared with a snapshot taken before the first turn). Groundedness uses
agent/grounding.py's `ungrounded_numbers`, the same check the agent applies to language-model answers.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, String, Table, and_, cast, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import Date

import domain.models  # noqa: F401  (registers every table on Base.metadata)
from agent.grounding import ungrounded_numbers
from domain.clients.models import Client
from domain.db import Base
from domain.staff.models import User
from evals.cases import DB_TABLES, Checks, DbCheck, Matcher, RetrievalCheck, ToolsCalled

MISSING = object()
# What write tools change in place (besides adding rows): a change to any of these columns is a write.
MUTABLE_COLUMNS = {
    "alerts": ("status", "snoozed_until", "acknowledged_at", "dismissed_at", "resolved_at", "resolution_notes"),
    "risks": ("status", "resolved_at", "resolution"),
    "result_targets": ("is_active",),
}
# Tables a write tool adds rows to. proof_posts is left out: generate_proof keeps each draft it builds.
WRITE_TABLES = tuple(table for table in DB_TABLES if table != "proof_posts")


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str
    passed: bool
    reason: str = ""
    turn: int | None = None  # 1-based turn the check ran after; None: after the whole conversation

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "passed": self.passed, "reason": self.reason, "turn": self.turn}


@dataclass(slots=True)
class TurnRecord:
    """One turn as the channel saw it: the reply's JSON contract, how long it took, or the error it raised."""

    index: int
    text: str
    reply: dict[str, Any] = field(default_factory=dict)
    latency_ms: float = 0.0
    error: str | None = None

    @property
    def answer(self) -> str:
        return str(self.reply.get("answer") or "")

    @property
    def calls(self) -> list[dict[str, Any]]:
        """The turn's tool calls; a pending write edited this turn counts as a call with its edited arguments."""
        calls = list(self.reply.get("tool_calls") or [])
        pending = self.reply.get("pending_confirmation")
        if pending and not any(
            c["name"] == pending["tool"] and c.get("status") == "pending_confirmation" for c in calls
        ):
            calls.append({"name": pending["tool"], "args": pending.get("args") or {}, "status": "pending_confirmation"})
        return calls

    @property
    def pending(self) -> str | None:
        pending = self.reply.get("pending_confirmation")
        return str(pending["tool"]) if pending else None


# ------------------------------------------------------------------------------------------ database state


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The database before the conversation: highest id per table, and the mutable columns of changeable rows."""

    max_ids: dict[str, int]
    counts: dict[str, int]
    mutable: dict[str, dict[int, tuple[Any, ...]]]


def take_snapshot(session: Session) -> Snapshot:
    max_ids, counts, mutable = {}, {}, {}
    for name in DB_TABLES:
        table = _table(name)
        max_id, count = session.execute(select(func.max(table.c.id), func.count())).one()
        max_ids[name], counts[name] = int(max_id or 0), int(count)
    for name, columns in MUTABLE_COLUMNS.items():
        table = _table(name)
        rows = session.execute(select(table.c.id, *(table.c[column] for column in columns)))
        mutable[name] = {int(row[0]): tuple(row[1:]) for row in rows}
    return Snapshot(max_ids, counts, mutable)


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def changes_since(session: Session, before: Snapshot) -> list[str]:
    """Everything write tools could have changed since the snapshot, in words (empty: nothing)."""
    after = take_snapshot(session)
    changed = []
    for name in WRITE_TABLES:
        added = after.counts[name] - before.counts[name]
        if added or after.max_ids[name] != before.max_ids[name]:
            changed.append(f"{name}: {added:+d} row(s)")
    for name in MUTABLE_COLUMNS:
        rows = [row_id for row_id, values in after.mutable[name].items() if before.mutable[name].get(row_id) != values]
        if rows:
            changed.append(f"{name}: row(s) {rows[:5]} changed")
    return changed


def check_no_writes(session: Session, before: Snapshot) -> CheckResult:
    changed = changes_since(session, before)
    return CheckResult("no_writes", not changed, "nothing written" if not changed else "; ".join(changed))


def check_db(session: Session, spec: DbCheck, before: Snapshot) -> CheckResult:
    table = _table(spec.table)
    name = f"db:{spec.table}"
    try:
        conditions = [_condition(session, table, column, matcher) for column, matcher in spec.where.items()]
    except LookupError as problem:
        return CheckResult(name, False, str(problem))
    if spec.scope == "new":
        conditions.append(table.c.id > before.max_ids[spec.table])
    found = int(session.scalar(select(func.count()).select_from(table).where(*conditions)) or 0)
    where = ", ".join(f"{column}={_show(matcher)}" for column, matcher in spec.where.items()) or "any"
    scope = "new " if spec.scope == "new" else ""
    if spec.count is not None:
        passed = found == spec.count
        expected = f"{spec.count}"
    else:
        passed = found >= (spec.min_count or 0)
        expected = f">= {spec.min_count}"
    return CheckResult(name, passed, f"{found} {scope}{spec.table} row(s) where {where}; expected {expected}")


def _condition(session: Session, table: Table, key: str, matcher: Matcher) -> ColumnElement[bool]:
    column_name = "client_id" if key == "client" else key
    if column_name not in table.c:
        raise LookupError(f"{table.name} has no column {key!r}")
    column: Column[Any] = table.c[column_name]
    if key == "client" and isinstance(matcher.equals, str):
        return column == _client_id(session, matcher.equals)
    if "equals" in matcher.model_fields_set:
        value = _reference(session, matcher.equals)
        if value is None:
            return column.is_(None)
        equal: ColumnElement[bool] = column == _column_value(column, value)
        return equal
    if matcher.contains is not None:
        return func.lower(cast(column, String)).contains(matcher.contains.lower())
    if matcher.one_of is not None:
        return column.in_([_column_value(column, _reference(session, item)) for item in matcher.one_of])
    if matcher.absent:
        return column.is_(None)
    if matcher.present:
        return column.is_not(None)
    bounds = []
    if matcher.gte is not None:
        bounds.append(column >= matcher.gte)
    if matcher.lte is not None:
        bounds.append(column <= matcher.lte)
    return and_(*bounds)


def _reference(session: Session, value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"user"}:
        user_id = session.scalar(select(User.id).where(User.email == str(value["user"]).lower()))
        if user_id is None:
            raise LookupError(f"no staff user {value['user']!r}")
        return user_id
    if isinstance(value, dict) and set(value) == {"client"}:
        return _client_id(session, str(value["client"]))
    return value


def _client_id(session: Session, name: str) -> int:
    client_id = session.scalar(select(Client.id).where(func.lower(Client.name) == name.lower()))
    if client_id is None:
        raise LookupError(f"no client called {name!r}")
    return int(client_id)


def _column_value(column: Column[Any], value: Any) -> Any:
    if isinstance(column.type, Date) and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


# ----------------------------------------------------------------------------------------------- matching


def matches(matcher: Matcher, actual: Any) -> bool:
    """Does an argument value satisfy the matcher? `actual` is MISSING when the argument was not given."""
    present = actual is not MISSING and actual is not None
    if "equals" in matcher.model_fields_set:
        return (not present and matcher.equals is None) or (present and same(matcher.equals, actual))
    if matcher.absent is not None:
        return present != matcher.absent
    if matcher.present is not None:
        return present == matcher.present
    if not present:
        return False
    if matcher.contains is not None:
        return _contains(actual, matcher.contains.lower())
    if matcher.one_of is not None:
        return any(same(option, actual) for option in matcher.one_of)
    number = _number(actual)
    if number is None:
        return False
    return (matcher.gte is None or number >= matcher.gte) and (matcher.lte is None or number <= matcher.lte)


def same(expected: Any, actual: Any) -> bool:
    """Equality as a person means it: case-insensitive text, numbers by value, dates as ISO, lists in any order."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual or str(expected).lower() == str(actual).lower()
    if isinstance(expected, int | float) and not isinstance(expected, bool):
        number = _number(actual)
        return number is not None and math.isclose(number, float(expected), rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and set(map(str, expected)) == set(map(str, actual))
            and all(same(value, actual.get(key, actual.get(str(key), MISSING))) for key, value in expected.items())
        )
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(expected) != len(actual):
            return False
        remaining = list(actual)
        for item in expected:
            hit = next((index for index, other in enumerate(remaining) if same(item, other)), None)
            if hit is None:
                return False
            remaining.pop(hit)
        return True
    if isinstance(actual, dt.date):
        actual = actual.isoformat()
    return str(expected).strip().casefold() == str(actual).strip().casefold()


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


def _contains(actual: Any, wanted: str) -> bool:
    if isinstance(actual, list):
        return any(_contains(item, wanted) for item in actual)
    if isinstance(actual, dict):
        return any(_contains(item, wanted) for item in actual.values())
    return wanted in str(actual).lower()


def _show(matcher: Matcher) -> str:
    shown = {name: getattr(matcher, name) for name in matcher.model_fields_set}
    return repr(shown["equals"]) if set(shown) == {"equals"} else repr(shown)


# ---------------------------------------------------------------------------------------- turn-level checks


def called_names(turns: Sequence[TurnRecord]) -> list[str]:
    """Tool names the turns called (proposed writes included), in order, without repeats."""
    return list(dict.fromkeys(call["name"] for turn in turns for call in turn.calls))


def check_tools_called(spec: ToolsCalled, turns: Sequence[TurnRecord]) -> CheckResult:
    called = called_names(turns)
    shown = ", ".join(called) or "no tool"
    if spec.mode == "none":
        return CheckResult("tools_called", not called, f"called {shown}; expected no tool")
    wanted = set(spec.names)
    if spec.mode == "exact":
        passed = set(called) == wanted
        return CheckResult("tools_called", passed, f"called {shown}; expected exactly {', '.join(spec.names)}")
    missing = sorted(wanted - set(called))
    reason = f"called {shown}" + (f"; missing {', '.join(missing)}" if missing else "")
    return CheckResult("tools_called", not missing, reason)


def check_tools_not_called(forbidden: Sequence[str], turns: Sequence[TurnRecord]) -> CheckResult:
    called = [name for name in called_names(turns) if name in set(forbidden)]
    reason = f"called {', '.join(called)}" if called else "none of the forbidden tools was called"
    return CheckResult("tools_not_called", not called, reason)


def check_args(tool: str, expected: dict[str, Matcher], turns: Sequence[TurnRecord]) -> CheckResult:
    """Some call of `tool` (final arguments, after any edit) satisfies every argument matcher."""
    calls = [call for turn in turns for call in turn.calls if call["name"] == tool]
    name = f"args:{tool}"
    if not calls:
        return CheckResult(name, False, f"{tool} was not called")
    mismatches: list[str] = []
    for call in calls:
        arguments = call.get("args") or {}
        wrong = [
            f"{arg}={arguments.get(arg, '<missing>')!r} (expected {_show(matcher)})"
            for arg, matcher in expected.items()
            if not matches(matcher, arguments.get(arg, MISSING))
        ]
        if not wrong:
            return CheckResult(name, True, f"{tool}({_brief(arguments)})")
        mismatches = mismatches or wrong
    return CheckResult(name, False, "; ".join(mismatches))


def _brief(arguments: dict[str, Any]) -> str:
    return ", ".join(f"{key}={value!r}" for key, value in arguments.items())[:300]


def check_answer_contains(wanted: Iterable[str], answer: str) -> CheckResult:
    lowered = answer.lower()
    missing = [text for text in wanted if text.lower() not in lowered]
    reason = "all present" if not missing else f"missing {missing} in answer: {_excerpt(answer)}"
    return CheckResult("answer_contains", not missing, reason)


def check_answer_not_contains(unwanted: Iterable[str], answer: str) -> CheckResult:
    lowered = answer.lower()
    found = [text for text in unwanted if text.lower() in lowered]
    reason = "none present" if not found else f"found {found} in answer: {_excerpt(answer)}"
    return CheckResult("answer_not_contains", not found, reason)


def _excerpt(answer: str, limit: int = 240) -> str:
    flat = " ".join(answer.split())
    return repr(flat if len(flat) <= limit else flat[:limit] + "...")


def check_pending(expected: str | None, turn: TurnRecord) -> CheckResult:
    actual = turn.pending
    reason = f"pending {actual or 'nothing'}; expected {expected or 'nothing'}"
    return CheckResult("pending_confirmation", actual == expected, reason)


def evidence(turns: Sequence[TurnRecord]) -> tuple[list[Any], list[str]]:
    """What a conversation's answers may cite: every tool result, error and argument, and the user's words."""
    results: list[Any] = []
    for turn in turns:
        for call in turn.calls:
            results.append(call.get("args") or {})
            if call.get("result"):
                results.append(call["result"])
            if call.get("error"):
                results.append(str(call["error"]))
        if turn.reply.get("pending_confirmation"):
            results.append(turn.reply["pending_confirmation"].get("args") or {})
    return results, [turn.text for turn in turns]


def unsupported_numbers(turn: TurnRecord, history: Sequence[TurnRecord]) -> list[str]:
    results, texts = evidence(history)
    return ungrounded_numbers(turn.answer, results, allowed_text=texts)


def check_grounded(turn: TurnRecord, history: Sequence[TurnRecord]) -> CheckResult:
    unsupported = unsupported_numbers(turn, history)
    if unsupported:
        return CheckResult("grounded", False, f"numbers not in any tool result: {unsupported[:8]}")
    return CheckResult("grounded", True, "every number is in a tool result")


def retrieval_recall(spec: RetrievalCheck, turns: Sequence[TurnRecord]) -> tuple[float, list[str]]:
    """recall@k of the expected entries over the first k hits of the conversation's search_timeline calls."""
    hits = [
        f"{hit.get('title', '')} {hit.get('body', '')}".lower()
        for turn in turns
        for call in turn.calls
        if call["name"] == "search_timeline" and call.get("result")
        for hit in (call["result"].get("hits") or [])[: spec.k]
    ]
    missed = [text for text in spec.expected if not any(text.lower() in hit for hit in hits)]
    return (len(spec.expected) - len(missed)) / len(spec.expected), missed


def check_retrieval(spec: RetrievalCheck, turns: Sequence[TurnRecord]) -> CheckResult:
    recall, missed = retrieval_recall(spec, turns)
    name = f"retrieval@{spec.k}"
    if not any(call["name"] == "search_timeline" for turn in turns for call in turn.calls):
        return CheckResult(name, False, "search_timeline was not called")
    reason = f"recall {recall:.2f}" + (f"; not in the top {spec.k}: {missed}" if missed else "")
    return CheckResult(name, recall >= spec.min_recall, reason)


# -------------------------------------------------------------------------------------------------- all


def evaluate(
    checks: Checks,
    *,
    turns: Sequence[TurnRecord],
    history: Sequence[TurnRecord],
    session: Session | None,
    before: Snapshot | None,
    turn_number: int | None = None,
) -> list[CheckResult]:
    """Run one set of checks over `turns` (the last of which gives the answer); `history` is the conversation
    so far, for groundedness. Database checks need the session and the snapshot from before the first turn."""
    results: list[CheckResult] = []
    last = turns[-1]
    if last.error:
        results.append(CheckResult("turn_error", False, last.error))
    if checks.tools_called is not None:
        results.append(check_tools_called(checks.tools_called, turns))
    if checks.tools_not_called:
        results.append(check_tools_not_called(checks.tools_not_called, turns))
    for tool, expected in checks.args.items():
        results.append(check_args(tool, expected, turns))
    if checks.answer_contains:
        results.append(check_answer_contains(checks.answer_contains, last.answer))
    if checks.answer_not_contains:  # a leak in any turn is a leak
        answers = "\n\n".join(turn.answer for turn in turns)
        results.append(check_answer_not_contains(checks.answer_not_contains, answers))
    if checks.checks_pending:
        results.append(check_pending(checks.pending_confirmation, last))
    if checks.grounded:
        results.append(check_grounded(last, history))
    if checks.retrieval is not None:
        results.append(check_retrieval(checks.retrieval, turns))
    if checks.db or checks.no_writes:
        if session is None or before is None:
            raise ValueError("database checks need a session and the snapshot taken before the conversation")
        results.extend(check_db(session, spec, before) for spec in checks.db)
        if checks.no_writes:
            results.append(check_no_writes(session, before))
    return [
        CheckResult(result.name, result.passed, result.reason, turn_number if turn_number else result.turn)
        for result in results
    ]
