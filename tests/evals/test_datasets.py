"""The datasets themselves: they load, are big enough, cover every tool and category, and measure generalisation
(no eval utterance is one of the offline router's examples)."""

from __future__ import annotations

import re
from collections import Counter

from agent.offline.router import load_examples
from evals.cases import CATEGORIES, Case, Checks, load_cases
from tools import TOOLS


def _checks(case: Case) -> list[Checks]:
    return [case.checks, *(turn.checks for turn in case.turns if turn.checks is not None)]


def _named_tools(case: Case) -> set[str]:
    names: set[str] = set()
    for checks in _checks(case):
        if checks.tools_called is not None:
            names.update(checks.tools_called.names)
        names.update(checks.args)
        if checks.pending_confirmation:
            names.add(checks.pending_confirmation)
    return names


def test_at_least_200_cases_in_every_category() -> None:
    cases = load_cases()
    assert len(cases) >= 200
    counts = Counter(case.category for case in cases)
    assert set(counts) == set(CATEGORIES)
    assert all(count >= 10 for count in counts.values()), counts


def test_every_tool_is_exercised() -> None:
    named = set().union(*(_named_tools(case) for case in load_cases()))
    assert set(TOOLS) <= named, sorted(set(TOOLS) - named)


def test_categories_check_what_they_are_about() -> None:
    for case in load_cases():
        checks = _checks(case)
        if case.category == "irrelevance":
            assert any(c.tools_called and c.tools_called.mode == "none" for c in checks), case.id
        if case.category in ("access", "injection"):
            assert any(c.no_writes or c.answer_not_contains or c.answer_contains or c.db for c in checks), case.id
        if case.category == "confirmation":
            assert any(c.no_writes or c.db or c.checks_pending for c in checks), case.id
        if case.category == "groundedness":
            assert case.checks.grounded, case.id
        if case.category == "multi_turn":
            assert len(case.turns) >= 2, case.id


def _plain(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", re.sub(r"\s+", " ", text.lower())).strip()


def test_no_eval_utterance_is_a_router_example() -> None:
    examples = {_plain(example) for utterances in load_examples().values() for example in utterances}
    copied = [(case.id, text) for case in load_cases() for text in case.texts if _plain(text) in examples]
    confirmations = {"yes", "no", "ok", "yep", "confirm", "go ahead", "hi", "hey", "hello"}
    assert [(cid, text) for cid, text in copied if _plain(text) not in confirmations] == []
