"""The groundedness post-check: figures in an answer must come from the turn's tool results (or the question)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from agent.grounding import UNVERIFIED_NOTE, grounding_notes, turn_evidence, ungrounded_numbers
from agent.reply import Reply

RESULT = {
    "as_of": "2026-11-22",
    "score": {"client_name": "Acme Corp", "overall": 41.23, "change": -5.24, "day": "2026-11-22"},
    "churn": {"probability_90d": 0.613, "arr_at_risk_share": 12.5},
    "arr": "119850.00",
    "pipeline": 1234567,
    "last_contact_at": "2026-11-20T15:30:00Z",
    "alerts": [{"id": 17}, {"id": 18}, {"id": 31}],
    "evidence": "DAU down 23% vs the prior 30 days; renewal on December 14, 2026",
}


@pytest.mark.parametrize(
    "answer",
    [
        "Acme Corp is at 41.2",
        "Acme Corp is at **41** (41.23 exactly)",
        "it moved -5.2 points",
        "it dropped 5.2 points",
        "churn risk 61%",
        "churn risk 61.3%",
        "churn risk 0.61",
        "churn risk 61 percent",
        "12.5% of ARR",
        "ARR $120K",
        "ARR $119,850",
        "ARR 120K",
        "a $1.2M pipeline",
        "a 1.2 million pipeline",
        "3 open alerts: #17, #18 and #31",
        "as of Nov 22, 2026",
        "as of 2026-11-22",
        "as of November 22nd",
        "as of 22 November 2026",
        "as of 11/22/2026",
        "last contact Nov 20 at 3:30 pm",
        "in 2026",
        "in November 2026",
        "DAU is down 23% over 30 days",
        "renewal on Dec 14",
        "1. Acme Corp\n2. Beta Industries\n10. Gamma LLC",
        "see https://example.com/report/2027 or mail ops42@example.com",
        "churn over 90 days",
        "",
        "No numbers at all.",
    ],
)
def test_grounded_figures_pass(answer: str) -> None:
    assert ungrounded_numbers(answer, [RESULT]) == []


@pytest.mark.parametrize(
    ("answer", "flagged"),
    [
        ("Acme Corp will recover to 73.4", ["73.4"]),
        ("Acme Corp is at 41.5", ["41.5"]),  # stated more precisely than any result supports
        ("Acme Corp is at 42", ["42"]),
        ("churn risk 64%", ["64%"]),
        ("ARR $150K", ["$150K"]),
        ("a $2.5M pipeline", ["$2.5M"]),
        ("as of Dec 3, 2026", ["Dec 3, 2026"]),
        ("as of 2026-12-03", ["2026-12-03"]),
        ("in 2025", ["2025"]),
        ("4 open alerts", ["4"]),
        ("call at 14:00", ["14:00"]),
        ("73.4, 73.4 and 88", ["73.4", "88"]),  # in order, without repeats
    ],
)
def test_invented_figures_are_flagged(answer: str, flagged: list[str]) -> None:
    assert ungrounded_numbers(answer, [RESULT]) == flagged


def test_numbers_in_the_question_are_allowed() -> None:
    answer = "Logged a 45 minute call on March 3, follow-up in 2 weeks."
    assert ungrounded_numbers(answer, [], allowed_text=["log a 45 min call on mar 3, follow up in 2 weeks"]) == []
    assert ungrounded_numbers(answer, []) == ["March 3", "45", "2"]


def test_error_results_count_as_evidence() -> None:
    error = {"status": "error", "error": "no client called 'Acme 2' among your 14 clients"}
    assert ungrounded_numbers("I could not find Acme 2 among your 14 clients.", [error]) == []


def test_notes_come_from_the_turn_messages() -> None:
    call = {"name": "explain_score_drivers", "args": {"client": "Acme"}, "id": "call_1", "type": "tool_call"}
    messages = [
        HumanMessage("why is acme dropping over 30 days?"),
        AIMessage("", tool_calls=[call]),
        ToolMessage(json.dumps(RESULT), tool_call_id="call_1", name="explain_score_drivers"),
    ]
    results, questions = turn_evidence(messages)
    assert results == [RESULT]
    assert questions == ["why is acme dropping over 30 days?"]
    assert grounding_notes("Acme Corp is at 41.2 after 30 days.", messages) == []
    assert grounding_notes("Acme Corp is at 73.4 and 12.9.", messages) == [UNVERIFIED_NOTE.format(numbers="73.4, 12.9")]
    assert UNVERIFIED_NOTE.format(numbers="73.4").startswith("unverified numbers: 73.4")


# The offline planner is grounded by construction: its templates only print what the tool results hold.
JANE, JOHN, VP, CONSULTANT = (f"{who}@demo.csagent.dev" for who in ("jane", "john", "vp", "consultant"))
OFFLINE_TURNS: list[tuple[str, str]] = [
    ("why is acme dropping?", JANE),
    ("who is at risk?", JANE),
    ("health drops over 15 points in the last 30 days", VP),
    ("how's my portfolio", VP),
    ("show renewals in 60 days", VP),
    ("show my alerts", VP),
    ("what's acme's churn risk", JANE),
    ("churn risk for my portfolio", VP),
    ("how does beta stack up against peers", JANE),
    ("what's going on with acme", JANE),
    ("what follow-ups are due", JANE),
    ("what did john do last week", VP),
    ("search acme's timeline for pricing", JANE),
    ("write a re-engagement email for acme", JANE),
    ("draft renewal outreach to acme", JANE),
    ("what if usage weighed 30 and adoption 15", VP),
    ("what's the status of the northwind engagement", CONSULTANT),
    ("generate proof for northwind", CONSULTANT),
    ("log a 30 min call with acme, follow up next friday", JANE),
    ("snooze alert 12 for a week", JANE),
    ("target for northwind reduce reporting time from 20 to 5 hours a week by march 1", CONSULTANT),
    ("add outcome 8 hours per week for northwind", CONSULTANT),
    ("why is zyxwv corp dropping?", JANE),
]


def test_offline_answers_state_only_grounded_numbers(ask: Callable[..., Reply]) -> None:
    ungrounded: dict[str, list[str]] = {}
    tools_used: set[str] = set()
    for number, (question, who) in enumerate(OFFLINE_TURNS):
        reply = ask(question, as_=who, thread=f"grounding-{number}", yes=True)
        assert reply.answer, question
        results = [call.result if call.status == "ok" else {"error": call.error} for call in reply.tool_calls]
        tools_used.update(call.name for call in reply.tool_calls if call.status == "ok")
        found = ungrounded_numbers(reply.answer, results, allowed_text=[question])
        if found:
            ungrounded[f"{question} -> {reply.answer}"] = found
    assert ungrounded == {}
    assert len(tools_used) >= 15  # the turns exercise most answer templates
