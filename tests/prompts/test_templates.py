"""Every prompt template renders with a realistic context, and a missing variable raises instead of blanking.

Answer templates are fed real tool results: each tool runs once against a copy of the demo tenant (writes are
rolled back), exactly as the agent would call it, and the result is dumped to JSON like the tool node does."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jinja2 import UndefinedError, meta, nodes
from sqlalchemy.orm import Session

import prompts
from domain.access import actor_for_email
from domain.db import make_engine, make_session_factory
from tests.demo_fixture import DEMO_AS_OF, NOW
from tests.prompts.channel_contexts import channel_contexts
from tools import TOOLS
from tools.base import ToolContext

JANE, VP, CONSULTANT = "jane@demo.csagent.dev", "vp@demo.csagent.dev", "consultant@demo.csagent.dev"
PURPOSES = ("check_in", "re_engagement", "renewal", "adoption", "executive_escalation", "celebration")
README = Path(prompts.__file__).parent / "README.md"

# (tool, who asks, arguments), run in this order: later writes may rely on earlier ones (the risk to resolve).
CALLS: list[tuple[str, str, dict[str, Any]]] = [
    ("explain_score_drivers", JANE, {"client": "Acme Corp"}),
    ("list_at_risk_clients", VP, {"min_drop": 5, "days": 30}),
    ("get_client_overview", JANE, {"client": "Acme Corp"}),
    ("search_timeline", JANE, {"query": "renewal", "client": "Acme Corp"}),
    ("portfolio_summary", VP, {}),
    ("list_renewals", VP, {"within_days": 90}),
    ("list_alerts", JANE, {}),
    ("list_follow_ups", JANE, {"days_ahead": 30}),
    ("activity_summary", VP, {"csm": "john@demo.csagent.dev"}),
    ("churn_risk", JANE, {"client": "Acme Corp"}),
    ("benchmark_client", JANE, {"client": "Beta Industries"}),
    ("simulate_weights", VP, {"weights": {"usage": 30, "adoption": 15, "support": 15, "relationship": 15,
                                          "contract": 15, "outcome": 10}}),
    ("engagement_status", CONSULTANT, {"client": "Northwind Logistics"}),
    ("generate_proof", CONSULTANT, {"client": "Northwind Logistics"}),
    *[("draft_outreach", JANE, {"client": "Acme Corp", "purpose": purpose}) for purpose in PURPOSES],
    ("log_activity", JANE, {"client": "Acme Corp", "subject": "Check-in call with Sarah Chen",
                            "duration_minutes": 30, "outcome": "FOLLOW_UP_REQUIRED", "follow_up_date": "2026-11-27"}),
    ("add_note", JANE, {"client": "Acme Corp", "content": "Evaluating competitors", "private": True}),
    ("update_alert", JANE, {"action": "snooze", "client": "Acme Corp", "about": "NPS", "snooze_days": 7}),
    ("set_result_target", CONSULTANT, {"client": "Northwind Logistics", "metric": "reporting time",
                                       "unit": "hours/week", "current_value": 20, "target_value": 5,
                                       "target_date": "2027-03-01"}),
    ("record_baseline", CONSULTANT, {"client": "Northwind Logistics", "value": 20}),
    ("log_intervention", CONSULTANT, {"client": "Northwind Logistics", "kind": "automation",
                                      "title": "Automated the weekly report"}),
    ("add_outcome_entry", CONSULTANT, {"client": "Northwind Logistics", "value": 8}),
    ("add_risk", CONSULTANT, {"client": "Northwind Logistics", "description": "Data access delayed",
                              "severity": "high"}),
    ("resolve_risk", CONSULTANT, {"client": "Northwind Logistics", "risk": "data access",
                                  "resolution": "IT granted access"}),
    ("log_feedback", CONSULTANT, {"client": "Northwind Logistics", "response": "Dashboards are confusing",
                                  "sentiment": "negative"}),
]  # fmt: skip


@pytest.fixture(scope="module")
def demo_session(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    copy = tmp_path_factory.mktemp("templates") / "demo.db"
    shutil.copyfile(demo_template, copy)
    engine = make_engine(f"sqlite:///{copy}")
    session = make_session_factory(engine)()
    yield session
    session.rollback()
    session.close()
    engine.dispose()


@pytest.fixture(scope="module")
def results(demo_session: Session) -> dict[str, list[tuple[dict[str, Any], dict[str, Any]]]]:
    """Tool name -> [(args, result as the tool node sends it)], from real calls on the demo tenant."""
    found: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {}
    for number, (name, who, args) in enumerate(CALLS):
        tool = TOOLS[name]
        context = ToolContext(
            actor=actor_for_email(demo_session, who),
            db_session=demo_session,
            as_of=DEMO_AS_OF,
            now=NOW,
            channel="test",
            idempotency_key=f"templates:{number}" if tool.writes else None,
        )
        result = tool.invoke(args, context)
        found.setdefault(name, []).append((args, result.model_dump(mode="json")))
    return found


@pytest.fixture(scope="module")
def contexts(
    results: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]], demo_session: Session
) -> dict[str, list[dict[str, Any]]]:
    """Template name -> the variables it is rendered with (one or more representative contexts)."""
    jane = actor_for_email(demo_session, JANE)
    found: dict[str, list[dict[str, Any]]] = {
        "system.md": [{"actor": jane, "as_of": DEMO_AS_OF.isoformat()}],
        "answers/cancelled.md.j2": [{"tool": "log_activity"}, {"tool": ""}],
        "answers/error.md.j2": [{"error": "no client called 'Acme Crop'; did you mean Acme Corp?"}],
        "answers/generic.md.j2": [{"tool": "portfolio_summary", "result": results["portfolio_summary"][0][1]}],
    }
    found.update(channel_contexts(demo_session))  # briefing and email templates (tests/prompts/channel_contexts.py)
    for tool, calls in results.items():
        found[f"answers/{tool}.md.j2"] = [{"result": result, "args": args} for args, result in calls]
    for _, draft in results["draft_outreach"]:  # the facts the tool rendered the email with
        facts = {**draft["facts_used"], "client": draft["client"], "first_name": draft["to_name"].split()[0]}
        found[f"outreach/{draft['purpose']}.md.j2"] = [{**facts, "sender": "Jane Doe"}]
    return found


TEMPLATES = prompts.template_names()


def variables(name: str) -> set[str]:
    """The top-level variables a template reads."""
    environment = prompts.environment()
    assert environment.loader is not None
    tree = environment.parse(environment.loader.get_source(environment, name)[0])
    assigned = {node.name for node in tree.find_all(nodes.Name) if node.ctx == "store"}  # {% set %}, loop vars
    return set(meta.find_undeclared_variables(tree)) - assigned


def test_every_template_has_a_representative_context(contexts: dict[str, list[dict[str, Any]]]) -> None:
    assert sorted(contexts) == TEMPLATES


def test_every_tool_has_an_answer_template() -> None:
    assert {f"answers/{name}.md.j2" for name in TOOLS} <= set(TEMPLATES)
    assert len(TOOLS) == 25


def test_the_calls_exercise_every_tool(results: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]]) -> None:
    assert set(results) == set(TOOLS)


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_renders(name: str, contexts: dict[str, list[dict[str, Any]]]) -> None:
    for context in contexts[name]:
        text = prompts.render(name, **context)
        assert text.strip(), name
        assert "None" not in text, text  # a None printed as a word means a template forgot a guard
        assert "{{" not in text
        assert "{%" not in text


@pytest.mark.parametrize("name", TEMPLATES)
def test_a_missing_variable_raises(name: str, contexts: dict[str, list[dict[str, Any]]]) -> None:
    context = contexts[name][0]
    used = variables(name)
    assert used, f"{name} reads no variables"
    assert used <= set(context), f"{name} reads {sorted(used - set(context))} the context does not provide"
    for variable in sorted(used):
        reduced = {key: value for key, value in context.items() if key != variable}
        with pytest.raises(UndefinedError):
            prompts.render(name, **reduced)


@pytest.mark.parametrize("name", [f"answers/{tool}.md.j2" for tool in sorted(TOOLS)])
def test_a_missing_result_field_raises(name: str, contexts: dict[str, list[dict[str, Any]]]) -> None:
    """Strictness reaches into results: dropping a field the template prints raises, it never renders blank."""
    context = contexts[name][0]
    result = context["result"]
    fields = [key for key in result if key not in ("as_of", "source_ids")]
    read = [key for key in fields if f"result.{key}" in _source(name)]
    assert read, f"{name} prints no field of its result"
    for key in read:
        broken = {**context, "result": {k: v for k, v in result.items() if k != key}}
        with pytest.raises(UndefinedError):
            prompts.render(name, **broken)


def test_the_readme_documents_every_template() -> None:
    readme = README.read_text()
    missing = [name for name in TEMPLATES if f"`{name}`" not in readme]
    assert missing == []
    assert "StrictUndefined" in readme


def test_filters() -> None:
    assert prompts.money(120000) == "$120K"
    assert prompts.money(1_234_567) == "$1.2M"
    assert prompts.money(950) == "$950"
    assert prompts.money(None) == "n/a"
    assert prompts.pct(0.613) == "61%"
    assert prompts.pct(0.613, 1) == "61.3%"
    assert prompts.num(41.0) == "41"
    assert prompts.num(41.23) == "41.2"
    assert prompts.signed(-5.24) == "-5.2"
    assert prompts.day("2026-11-22T15:00:00Z") == "Nov 22, 2026"
    assert prompts.humanize("AT_RISK") == "at risk"


def _source(name: str) -> str:
    return (Path(prompts.__file__).parent / name).read_text()
