"""The evaluators on hand-made turns: each check passes when it should, fails when it should, and says why."""

from __future__ import annotations

from typing import Any

import pytest

from evals.cases import Checks, Matcher, RetrievalCheck, ToolsCalled
from evals.evaluators import (
    MISSING,
    TurnRecord,
    check_answer_contains,
    check_answer_not_contains,
    check_args,
    check_grounded,
    check_pending,
    check_retrieval,
    check_tools_called,
    check_tools_not_called,
    evaluate,
    matches,
    same,
)


def turn(
    answer: str = "",
    calls: list[dict[str, Any]] | None = None,
    pending: dict[str, Any] | None = None,
    text: str = "q",
    index: int = 1,
) -> TurnRecord:
    reply = {"answer": answer, "tool_calls": calls or [], "pending_confirmation": pending}
    return TurnRecord(index=index, text=text, reply=reply)


def call(name: str, status: str = "ok", result: dict[str, Any] | None = None, **args: Any) -> dict[str, Any]:
    return {"name": name, "args": args, "status": status, "result": result or {}}


DRIVERS = turn(
    "**Acme Corp** health is **45.7** (at risk), churn risk 68%, ARR $120K, renews Feb 5, 2027 (in 75 days).",
    [
        call(
            "explain_score_drivers",
            result={"score": {"overall": 45.7234, "churn": 0.681, "arr": 120000.0, "day": "2026-11-22"},
                    "renewal": {"date": "2027-02-05", "days": 75}},
            client="Acme Corp",
            days=30,
        )
    ],
)  # fmt: skip


# ------------------------------------------------------------------------------------------------ matching


@pytest.mark.parametrize(
    ("expected", "actual", "result"),
    [
        ("Acme Corp", "acme corp ", True),
        ("Acme Corp", "Acme", False),
        (14, 14.0, True),
        (14, "14", True),
        (14, 15, False),
        ("2026-11-21", "2026-11-21", True),
        (["Sarah Chen", "Mike Johnson"], ["mike johnson", "Sarah Chen"], True),
        (["Sarah Chen"], ["Sarah Chen", "John Roberts"], False),
        ({"usage": 30, "adoption": 15}, {"usage": 30.0, "adoption": 15.0}, True),
        ({"usage": 30}, {"usage": 30.0, "adoption": 15.0}, False),
        (True, True, True),
        (True, 1, False),
        (False, "false", True),
    ],
)
def test_same_is_equality_as_a_person_means_it(expected: Any, actual: Any, result: bool) -> None:
    assert same(expected, actual) is result


@pytest.mark.parametrize(
    ("matcher", "actual", "result"),
    [
        ({"contains": "budget"}, "Budget cuts", True),
        ({"contains": "sarah"}, ["Mike Johnson", "Sarah Chen"], True),
        ({"contains": "30"}, {"usage": 30.0}, True),
        ({"contains": "x"}, MISSING, False),
        ({"one_of": [90, 91]}, 90, True),
        ({"one_of": [90, 91]}, 30, False),
        ({"absent": True}, MISSING, True),
        ({"absent": True}, None, True),
        ({"absent": True}, "Acme", False),
        ({"present": True}, "Acme", True),
        ({"present": True}, MISSING, False),
        ({"gte": 10, "lte": 20}, 15, True),
        ({"gte": 10}, 5, False),
        ({"gte": 10}, "n/a", False),
        (None, MISSING, True),  # equals null: not given is fine
        ("Acme Corp", MISSING, False),
    ],
)
def test_matchers(matcher: Any, actual: Any, result: bool) -> None:
    assert matches(Matcher.model_validate(matcher), actual) is result


# --------------------------------------------------------------------------------------------- tool checks


def test_tools_called_modes() -> None:
    turns = [DRIVERS, turn("x", [call("churn_risk", client="Acme Corp")], index=2)]
    assert check_tools_called(ToolsCalled(mode="superset", names=["churn_risk"]), turns).passed
    assert check_tools_called(ToolsCalled(mode="exact", names=["churn_risk", "explain_score_drivers"]), turns).passed
    exact = check_tools_called(ToolsCalled(mode="exact", names=["churn_risk"]), turns)
    assert not exact.passed
    assert "explain_score_drivers" in exact.reason
    missing = check_tools_called(ToolsCalled(mode="superset", names=["list_alerts"]), turns)
    assert not missing.passed
    assert "missing list_alerts" in missing.reason
    assert not check_tools_called(ToolsCalled(mode="none"), turns).passed
    assert check_tools_called(ToolsCalled(mode="none"), [turn("That's outside what I can help with.")]).passed


def test_tools_not_called_catches_a_forbidden_write() -> None:
    turns = [turn("", [call("add_note", status="pending_confirmation", client="Acme Corp", content="x")])]
    result = check_tools_not_called(["add_note", "log_activity"], turns)
    assert not result.passed
    assert "add_note" in result.reason
    assert check_tools_not_called(["add_note"], [DRIVERS]).passed


def test_args_pass_when_some_call_matches_and_fail_with_the_difference() -> None:
    expected = {"client": Matcher.model_validate("Acme Corp"), "days": Matcher.model_validate(30)}
    assert check_args("explain_score_drivers", expected, [DRIVERS]).passed
    wrong = check_args("explain_score_drivers", {"days": Matcher.model_validate(14)}, [DRIVERS])
    assert not wrong.passed
    assert "days=30" in wrong.reason
    assert "14" in wrong.reason
    absent = check_args("churn_risk", expected, [DRIVERS])
    assert not absent.passed
    assert absent.reason == "churn_risk was not called"


def test_an_edited_pending_write_is_checked_with_its_edited_arguments() -> None:
    edited = turn(
        "Log call ...?", [], pending={"tool": "log_activity", "args": {"duration_minutes": 45}, "summary": "s"}
    )
    assert check_args("log_activity", {"duration_minutes": Matcher.model_validate(45)}, [edited]).passed


def test_answer_checks_are_case_insensitive_and_quote_the_answer() -> None:
    assert check_answer_contains(["acme corp", "45.7"], DRIVERS.answer).passed
    missing = check_answer_contains(["Sarah Chen"], DRIVERS.answer)
    assert not missing.passed
    assert "Sarah Chen" in missing.reason
    assert "Acme Corp" in missing.reason
    assert check_answer_not_contains(["Gamma"], DRIVERS.answer).passed
    leaked = check_answer_not_contains(["$120k"], DRIVERS.answer)
    assert not leaked.passed
    assert "$120k" in leaked.reason


def test_pending_confirmation() -> None:
    waiting = turn("Add a note?", [], pending={"tool": "add_note", "args": {}, "summary": "Add a note"})
    assert check_pending("add_note", waiting).passed
    assert not check_pending(None, waiting).passed
    assert check_pending(None, DRIVERS).passed
    assert "pending nothing; expected log_activity" in check_pending("log_activity", DRIVERS).reason


# ------------------------------------------------------------------------------------------- groundedness


def test_an_answer_built_from_the_tool_results_is_grounded() -> None:
    assert check_grounded(DRIVERS, [DRIVERS]).passed


def test_a_number_no_tool_returned_is_ungrounded() -> None:
    invented = turn(DRIVERS.answer + " About 37 users left last month.", DRIVERS.calls)
    result = check_grounded(invented, [invented])
    assert not result.passed
    assert "37" in result.reason


def test_numbers_from_earlier_turns_and_the_question_count_as_evidence() -> None:
    follow_up = turn("Acme's health of 45.7 puts it 3 weeks from review.", [], text="in 3 weeks?", index=2)
    assert check_grounded(follow_up, [DRIVERS, follow_up]).passed
    alone = turn("Acme's health of 45.7 puts it 3 weeks from review.", [], text="and then?", index=1)
    assert not check_grounded(alone, [alone]).passed


# ----------------------------------------------------------------------------------------------- retrieval


def search(*bodies: str) -> TurnRecord:
    hits = [{"title": f"Note {n}", "body": body} for n, body in enumerate(bodies)]
    return turn("found", [call("search_timeline", result={"hits": hits}, query="q")])


def test_retrieval_recall_at_k() -> None:
    spec = RetrievalCheck(expected=["budget freeze", "SSO login"], k=5)
    assert check_retrieval(spec, [search("x", "Sarah flagged a Budget Freeze", "sso login loops")]).passed
    half = check_retrieval(spec, [search("x", "Sarah flagged a budget freeze")])
    assert not half.passed
    assert "recall 0.50" in half.reason
    assert "SSO login" in half.reason
    late = check_retrieval(RetrievalCheck(expected=["needle"], k=2), [search("a", "b", "needle")])
    assert not late.passed  # found, but not in the first k
    lenient = RetrievalCheck(expected=["budget freeze", "SSO login"], min_recall=0.5)
    assert check_retrieval(lenient, [search("budget freeze")]).passed
    assert check_retrieval(spec, [DRIVERS]).reason == "search_timeline was not called"


# ------------------------------------------------------------------------------------------------- evaluate


def test_evaluate_runs_every_given_check_and_reports_a_crashed_turn() -> None:
    checks = Checks.model_validate(
        {
            "tools_called": {"mode": "exact", "names": ["explain_score_drivers"]},
            "args": {"explain_score_drivers": {"client": "Acme Corp"}},
            "answer_contains": ["45.7"],
            "answer_not_contains": ["Gamma"],
            "pending_confirmation": None,
            "grounded": True,
        }
    )
    results = evaluate(checks, turns=[DRIVERS], history=[DRIVERS], session=None, before=None)
    assert [r.name for r in results] == [
        "tools_called",
        "args:explain_score_drivers",
        "answer_contains",
        "answer_not_contains",
        "pending_confirmation",
        "grounded",
    ]
    assert all(r.passed for r in results)
    crashed = TurnRecord(index=1, text="boom", error="RuntimeError: boom @ graph.py:12")
    failed = evaluate(checks, turns=[crashed], history=[crashed], session=None, before=None, turn_number=1)
    assert failed[0].name == "turn_error"
    assert not failed[0].passed
    assert failed[0].turn == 1


def test_a_leak_in_any_turn_fails_answer_not_contains() -> None:
    checks = Checks.model_validate({"answer_not_contains": ["Gary Burns"]})
    turns = [turn("Gamma's champion is Gary Burns."), turn("Sorry, not in your portfolio.", index=2)]
    (result,) = evaluate(checks, turns=turns, history=turns, session=None, before=None)
    assert not result.passed


def test_database_checks_need_the_database() -> None:
    with pytest.raises(ValueError, match="need a session"):
        evaluate(Checks(no_writes=True), turns=[DRIVERS], history=[DRIVERS], session=None, before=None)
