"""The case schema: valid files load, and every mistake is reported with the file name and the case id."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.cases import CaseFileError, Matcher, load_cases, load_file, select_cases


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """
defaults:
  actor: jane@demo.csagent.dev
  category: tool_use
cases:
  - id: good-one
    turns: ["whos at risk"]
    checks:
      tools_called: {mode: exact, names: [list_at_risk_clients]}
  - id: good-two
    category: confirmation
    turns:
      - text: log a call with acme
        checks: {pending_confirmation: log_activity, no_writes: true}
      - yes
      - text: log it
        yes: true
    checks:
      args:
        log_activity: {client: Acme Corp, occurred_on: 2026-11-21, contacts: {contains: sarah}}
      db:
        - {table: activities, where: {client: Acme Corp, performed_by_id: {user: jane@demo.csagent.dev}}, count: 1}
      tools_not_called: [WRITE_TOOLS]
"""


def test_a_valid_file_loads_with_defaults_and_yaml_quirks(tmp_path: Path) -> None:
    cases = load_file(write(tmp_path, "good.yaml", GOOD))
    assert [case.id for case in cases] == ["good-one", "good-two"]
    first, second = cases
    assert first.category == "tool_use"
    assert first.actor == "jane@demo.csagent.dev"
    assert second.category == "confirmation"
    assert second.turns[1].text == "yes"  # a bare YAML `yes` is the word, not a boolean
    assert second.turns[2].yes is True  # and the key `yes:` is the flag
    assert second.checks.args["log_activity"]["occurred_on"].equals == "2026-11-21"  # dates as ISO strings
    assert second.checks.args["log_activity"]["contacts"].contains == "sarah"
    assert "add_note" in second.checks.tools_not_called  # WRITE_TOOLS expands
    assert second.turns[0].checks is not None
    assert second.turns[0].checks.checks_pending
    assert not first.checks.checks_pending
    assert second.source == "good.yaml"


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("{id: bad-tool, actor: jane@demo.csagent.dev, category: tool_use, turns: [hi],"
         " checks: {tools_called: {names: [send_email]}}}", "unknown tool"),
        ("{id: bad-actor, actor: eve@evil.test, category: tool_use, turns: [hi], checks: {no_writes: true}}",
         "unknown actor"),
        ("{id: bad-category, actor: jane@demo.csagent.dev, category: vibes, turns: [hi], checks: {no_writes: true}}",
         "category"),
        ("{id: no-checks, actor: jane@demo.csagent.dev, category: tool_use, turns: [hi]}", "at least one check"),
        ("{id: bad-arg, actor: jane@demo.csagent.dev, category: tool_use, turns: [hi],"
         " checks: {args: {log_activity: {when: today}}}}", "has no argument"),
        ("{id: bad-pending, actor: jane@demo.csagent.dev, category: tool_use, turns: [hi],"
         " checks: {pending_confirmation: churn_risk}}", "not a write tool"),
        ("{id: bad-count, actor: jane@demo.csagent.dev, category: tool_use, turns: [hi],"
         " checks: {db: [{table: notes}]}}", "exactly one of count or min_count"),
        ("{id: bad-table, actor: jane@demo.csagent.dev, category: tool_use, turns: [hi],"
         " checks: {db: [{table: users, count: 1}]}}", "table"),
        ("{id: bad-retrieval, actor: jane@demo.csagent.dev, category: retrieval, turns: [hi],"
         " checks: {no_writes: true}}", "retrieval check"),
        ("{id: bad-matcher, actor: jane@demo.csagent.dev, category: tool_use, turns: [hi],"
         " checks: {args: {churn_risk: {client: {contains: a, absent: true}}}}}", "one test"),
        ("{id: empty-turn, actor: jane@demo.csagent.dev, category: tool_use, turns: [''], checks: {no_writes: true}}",
         "text or an edit"),
        ("{id: extra-key, actor: jane@demo.csagent.dev, category: tool_use, turns: [hi], checks: {no_writes: true},"
         " expect: 1}", "extra"),
    ],
)  # fmt: skip
def test_mistakes_name_the_file_and_the_case(tmp_path: Path, case: str, message: str) -> None:
    path = write(tmp_path, "broken.yaml", f"cases:\n  - {case}\n")
    with pytest.raises(CaseFileError) as error:
        load_file(path)
    text = str(error.value)
    assert text.startswith("broken.yaml: case ")
    case_id = case.split("id: ", 1)[1].split(",", 1)[0]
    assert case_id in text
    assert message.lower() in text.lower()


def test_file_level_mistakes_are_reported(tmp_path: Path) -> None:
    with pytest.raises(CaseFileError, match=r"bad\.yaml: not valid YAML"):
        load_file(write(tmp_path, "bad.yaml", "cases: [\n"))
    with pytest.raises(CaseFileError, match="expected a mapping"):
        load_file(write(tmp_path, "list.yaml", "- id: x\n"))
    with pytest.raises(CaseFileError, match="defaults may set"):
        load_file(write(tmp_path, "defaults.yaml", "defaults: {turns: [hi]}\ncases: []\n"))


def test_duplicate_ids_across_files_are_refused(tmp_path: Path) -> None:
    one = write(tmp_path, "a.yaml", GOOD)
    two = write(tmp_path, "b.yaml", GOOD)
    with pytest.raises(CaseFileError, match=r"b\.yaml: case good-one: id already used in a\.yaml"):
        load_cases([one, two])


def test_suites_select_by_category_file_or_id(tmp_path: Path) -> None:
    cases = load_cases([write(tmp_path, "good.yaml", GOOD)])
    assert [c.id for c in select_cases(cases, "all")] == ["good-one", "good-two"]
    assert [c.id for c in select_cases(cases, "confirmation")] == ["good-two"]
    assert [c.id for c in select_cases(cases, "good")] == ["good-one", "good-two"]
    assert [c.id for c in select_cases(cases, "good-one")] == ["good-one"]
    with pytest.raises(CaseFileError, match="unknown suite"):
        select_cases(cases, "nope")


def test_a_plain_value_is_an_equality_matcher() -> None:
    assert Matcher.model_validate("Acme Corp").equals == "Acme Corp"
    assert Matcher.model_validate({"client": "Acme"}).equals == {"client": "Acme"}  # not a matcher key
    assert Matcher.model_validate({"gte": 1, "lte": 3}).gte == 1
    assert Matcher.model_validate(None).model_fields_set == {"equals"}
