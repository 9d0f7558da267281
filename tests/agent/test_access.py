"""Access through the agent: a CSM asking about a client outside their portfolio is refused without its data and
nothing is written; private notes stay with their author; another tenant's client is unreachable by name or
id, through the graph and through every tool of the registry."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agent.reply import Reply
from domain.access import Actor
from domain.activities.models import Activity, Note
from domain.alerts.models import Alert
from domain.audit import AuditLog
from domain.clients.models import Client, Contact
from domain.enums import AlertStatus, ContactRole, HealthStatus, LifecycleStatus, Role
from domain.errors import DomainError
from domain.scoring.models import HealthSnapshot
from tests.factories import Factory
from tools import TOOLS
from tools.base import ToolContext

AS_OF = dt.date(2026, 11, 22)
NOW = dt.datetime(2026, 11, 22, 15, 0, tzinfo=dt.UTC)
JANE = "jane@demo.csagent.dev"
VP = "vp@demo.csagent.dev"
ZED = "zed@zeta.example"

Ask = Callable[..., Reply]


def client_named(db: Session, name: str) -> Client:
    return db.scalars(select(Client).where(Client.name == name)).one()


def ok_results(reply: Reply) -> list[dict[str, Any]]:
    return [call.result or {} for call in reply.tool_calls if call.status == "ok"]


def count(db: Session, model: type[Any], *where: Any) -> int:
    db.rollback()  # see what the agent committed
    return db.scalar(select(func.count()).select_from(model).where(*where)) or 0


# --- a client of the same tenant, outside the CSM's portfolio -------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["why is gamma llc dropping", "why is gamma dropping", "what's gamma's churn risk", "how is johnson and sons"],
)
def test_a_client_outside_my_portfolio_is_refused_as_such(ask: Ask, text: str) -> None:
    reply = ask(text)
    assert "not in your portfolio" in reply.answer
    assert "no client called" not in reply.answer


@pytest.mark.parametrize(
    "text", ["why is gamma dropping", "what's going on with gamma llc", "what's gamma's churn risk"]
)
def test_a_client_outside_my_portfolio_gives_away_no_data(ask: Ask, db: Session, text: str) -> None:
    reply = ask(text)
    assert reply.tool_calls, "the refusal comes from the domain, not from a guess"
    assert all(call.status == "error" and call.result is None for call in reply.tool_calls)
    assert "in your portfolio" in reply.answer
    gamma = client_named(db, "Gamma LLC")
    score = db.scalars(
        select(HealthSnapshot.overall_score).where(
            HealthSnapshot.client_id == gamma.id, HealthSnapshot.day == AS_OF, HealthSnapshot.model_key == "health"
        )
    ).one()
    contacts = db.scalars(select(Contact.name).where(Contact.client_id == gamma.id)).all()
    for secret in [f"{score:.1f}", f"{round(score)}", "$45K", "45,000", *contacts]:
        assert secret not in reply.answer
    assert reply.answer.count("\n") == 0  # one sentence, no overview


def test_the_owner_of_that_client_is_answered(ask: Ask, db: Session) -> None:
    reply = ask("why is gamma dropping", as_="john@demo.csagent.dev")
    (call,) = reply.tool_calls
    assert call.status == "ok"
    assert call.result is not None
    assert call.result["score"]["client_id"] == client_named(db, "Gamma LLC").id


@pytest.mark.parametrize(
    ("text", "model"),
    [
        ("log a call with gamma", Activity),
        ("add a note to gamma: they are unhappy with the renewal", Note),
        ("log a call with gamma llc", Activity),
    ],
)
def test_a_write_about_a_client_outside_my_portfolio_writes_nothing(
    ask: Ask, db: Session, text: str, model: type[Any]
) -> None:
    gamma = client_named(db, "Gamma LLC")
    rows = count(db, model, model.client_id == gamma.id)
    audit = count(db, AuditLog)
    proposed = ask(text)
    confirmed = ask("yes")
    assert not ok_results(proposed)
    assert not ok_results(confirmed)
    assert (
        "not in your portfolio" in f"{proposed.answer} {confirmed.answer}"
    )  # refused up front, or at the latest on "yes"
    assert count(db, model, model.client_id == gamma.id) == rows
    assert count(db, AuditLog) == audit


@pytest.mark.parametrize("text", ["log a call with gamma", "add a note to gamma llc: they are unhappy"])
def test_a_write_about_a_client_outside_my_portfolio_is_refused_before_confirming(ask: Ask, text: str) -> None:
    reply = ask(text)
    assert reply.pending_confirmation is None
    assert "not in your portfolio" in reply.answer


def test_a_consultant_sees_their_engagements_and_nothing_else(ask: Ask) -> None:
    consultant = "consultant@demo.csagent.dev"
    refused = ask("why is acme dropping", as_=consultant, thread="a")
    assert not ok_results(refused)
    assert "in your portfolio" in refused.answer
    assert "Acme" not in refused.answer.replace("'acme'", "")

    engagement = ask("what's the status of the northwind engagement", as_=consultant, thread="b")
    (result,) = ok_results(engagement)
    assert result["engagement"]["client_name"] == "Northwind Logistics"


def test_private_notes_are_found_only_by_their_author(ask: Ask, db: Session) -> None:
    acme = client_named(db, "Acme Corp")
    private = db.scalars(
        select(Note).where(Note.client_id == acme.id, Note.is_private.is_(True), Note.content.ilike("%budget%"))
    ).first()
    assert private is not None
    assert private.created_by_id is not None
    question = "did anyone at acme mention budget cuts"

    (mine,) = ok_results(ask(question, as_=JANE, thread="jane"))
    assert f"note:{private.id}" in {hit["entry_id"] for hit in mine["hits"]}

    reply = ask(question, as_=VP, thread="vp")
    (theirs,) = ok_results(reply)
    assert theirs["hits"], "the VP still finds the shared entries"
    assert f"note:{private.id}" not in {hit["entry_id"] for hit in theirs["hits"]}
    assert private.content not in reply.answer


# --- another tenant ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Zeta:
    """Another tenant with one client that every read would rank first if it leaked."""

    workspace_id: int
    client_id: int
    alert_id: int
    name: str = "Zeta Holdings"


@pytest.fixture
def zeta(db: Session) -> Zeta:
    make = Factory(db)
    workspace = make.workspace(slug="zeta", name="Zeta Tenant")
    csm = make.user(workspace, Role.CSM, email=ZED, name="Zed Zeta")
    make.user(workspace, Role.VP_CLIENT_SUCCESS, email="vp@zeta.example", name="Zoe Zeta")
    client = make.client(
        workspace,
        name="Zeta Holdings",
        industry="Manufacturing",
        csm_user_id=csm.id,
        lifecycle_status=LifecycleStatus.SHIPPED,
        annual_recurring_revenue=Decimal("990000"),
        next_renewal_date=AS_OF + dt.timedelta(days=20),
        current_health_score=12,
        health_status=HealthStatus.CRITICAL,
    )
    make.contact(client, name="Zelda Zimmer", role=ContactRole.CHAMPION)
    config = make.score_config(workspace)
    weights = {"effective": {"usage": 1.0}, "configured": {"usage": 100.0}}
    for days_ago, score, status in ((0, 12.0, HealthStatus.CRITICAL), (30, 80.0, HealthStatus.HEALTHY)):
        make.health_snapshot(
            client,
            config,
            day=AS_OF - dt.timedelta(days=days_ago),
            overall_score=score,
            status=status,
            components={"usage": score},
            weights=weights,
        )
    alert = make.alert(client, title="Zeta Holdings: health dropped 68 points")
    make.note(client, csm, content="Zeta budget cuts: the CFO wants to cancel")
    make.activity(client, csm, subject="Budget cuts call", follow_up_date=AS_OF - dt.timedelta(days=1))
    make.result_target(client)
    make.risk(client, description="Zeta budget frozen")
    db.commit()
    return Zeta(workspace_id=workspace.id, client_id=client.id, alert_id=alert.id)


def leaks(payload: Any, zeta: Zeta) -> bool:
    """Whether a tool result or answer carries anything of the other tenant's client."""
    text = json.dumps(payload, default=str)
    if "zeta" in text.lower() or "zelda" in text.lower():
        return True

    def walk(value: Any) -> bool:
        if isinstance(value, dict):
            return any(
                (key == "client_id" and item == zeta.client_id)
                or (key == "client" and isinstance(item, list) and zeta.client_id in item)
                or walk(item)
                for key, item in value.items()
            )
        if isinstance(value, list):
            return any(walk(item) for item in value)
        return False

    return walk(payload)


NAMED_QUESTIONS = [
    "why is zeta holdings dropping",
    "what's going on with zeta holdings",
    "what's zeta's churn risk",
    "generate proof for zeta holdings",
    "who is at risk?",
    "how's my portfolio",
    "upcoming renewals",
    "show my alerts",
    "what follow-ups are due",
    "did anyone mention budget cuts",
]


@pytest.mark.parametrize("who", [JANE, VP])
def test_another_tenant_is_unreachable_by_name(ask: Ask, zeta: Zeta, who: str) -> None:
    for text in NAMED_QUESTIONS:
        reply = ask(text, as_=who, thread=text)
        assert not leaks(ok_results(reply), zeta), text
        assert not leaks(reply.answer, zeta), text


@pytest.mark.parametrize("text", ["log a call with zeta holdings", "add a note to zeta holdings: budget frozen"])
def test_another_tenant_gets_no_writes_by_name(ask: Ask, db: Session, zeta: Zeta, text: str) -> None:
    ask(text, as_=VP)
    ask("yes", as_=VP)
    ask(text, as_=VP, thread="auto", yes=True)
    assert count(db, Activity, Activity.client_id == zeta.client_id) == 1  # the fixture's own
    assert count(db, Note, Note.client_id == zeta.client_id) == 1
    assert count(db, AuditLog, AuditLog.workspace_id == zeta.workspace_id) == 0


def test_another_tenant_gets_no_writes_by_id(ask: Ask, db: Session, zeta: Zeta) -> None:
    """Ids reach the tools through the planner (alert numbers) and through an edited confirmation."""
    ask(f"acknowledge alert {zeta.alert_id}", as_=VP)
    acknowledged = ask("yes", as_=VP)
    assert [call.status for call in acknowledged.tool_calls] == ["error"]
    assert not leaks(acknowledged.answer, zeta)
    db.rollback()
    alert = db.get(Alert, zeta.alert_id)
    assert alert is not None
    assert alert.status is AlertStatus.NEW

    for target in (str(zeta.client_id), zeta.name):
        thread = f"edit-{target}"
        ask("log a call with acme", as_=VP, thread=thread)
        edited = ask("", as_=VP, thread=thread, edit={"client": target})
        assert edited.pending_confirmation is not None
        confirmed = ask("yes", as_=VP, thread=thread)
        assert [call.status for call in confirmed.tool_calls] == ["error"], confirmed.answer
        assert "no client" in confirmed.answer
        assert not leaks(confirmed.answer.replace(target, ""), zeta)  # it may echo what was typed
    assert count(db, Activity, Activity.client_id == zeta.client_id) == 1
    assert count(db, AuditLog, AuditLog.workspace_id == zeta.workspace_id) == 0


def test_the_other_tenant_does_not_see_this_one(ask: Ask, db: Session, zeta: Zeta) -> None:
    acme = client_named(db, "Acme Corp")
    for text in ("why is acme dropping", "who is at risk?", "how's my portfolio", "show my alerts"):
        reply = ask(text, as_=ZED, thread=text)
        for result in ok_results(reply):
            assert "Acme" not in json.dumps(result)
            assert set(result.get("source_ids", {}).get("client", [])) <= {zeta.client_id}
        assert acme.name not in reply.answer


# Arguments that would reach the other tenant's client through each tool, by name and by id ("{client}").
CLIENT_TOOLS: dict[str, dict[str, Any]] = {
    "get_client_overview": {},
    "search_timeline": {"query": "budget"},
    "draft_outreach": {"purpose": "check_in"},
    "explain_score_drivers": {},
    "churn_risk": {},
    "benchmark_client": {},
    "list_alerts": {},
    "update_alert": {"action": "acknowledge"},
    "engagement_status": {},
    "generate_proof": {},
    "log_activity": {"subject": "Call"},
    "add_note": {"content": "budget frozen"},
    "set_result_target": {
        "metric": "hours",
        "unit": "hours/week",
        "current_value": 10,
        "target_value": 2,
        "target_date": "2027-03-01",
    },
    "record_baseline": {"value": 10},
    "log_intervention": {"kind": "process", "title": "New intake"},
    "add_outcome_entry": {"value": 5},
    "add_risk": {"description": "budget frozen"},
    "resolve_risk": {"risk": "budget", "resolution": "unfrozen"},
    "log_feedback": {"response": "too slow"},
}
PORTFOLIO_TOOLS: dict[str, dict[str, Any]] = {
    "list_at_risk_clients": {"limit": 100},
    "portfolio_summary": {},
    "list_renewals": {"within_days": 730},
    "list_follow_ups": {"days_ahead": 90},
    "activity_summary": {"start": "2026-01-01", "end": "2026-12-31"},
    "simulate_weights": {"weights": {"usage": 30, "adoption": 15}},
}


def test_every_tool_is_covered_below() -> None:
    assert set(CLIENT_TOOLS) | set(PORTFOLIO_TOOLS) == set(TOOLS)


@pytest.fixture
def as_vp(db: Session, actor: Callable[[str], Actor]) -> ToolContext:
    return ToolContext(actor=actor(VP), db_session=db, as_of=AS_OF, now=NOW, channel="test")


def test_no_tool_reaches_another_tenants_client(zeta: Zeta, as_vp: ToolContext, db: Session) -> None:
    """Every tool that takes a client, called directly as the VP who sees their whole tenant: by name, by id,
    by a partial name, and (update_alert) by alert number. Each must refuse with a domain error."""
    answered, leaked = [], []
    for tool, args in sorted(CLIENT_TOOLS.items()):
        targets: list[dict[str, Any]] = [{"client": zeta.name}, {"client": str(zeta.client_id)}, {"client": "zeta"}]
        if tool == "update_alert":
            targets.append({"alert_id": zeta.alert_id})
        for target in targets:
            savepoint = db.begin_nested()
            try:
                result = TOOLS[tool].invoke({**args, **target}, as_vp)
                answered.append(f"{tool}({target}) -> {result.model_dump_json()[:200]}")
            except DomainError as refused:
                message = str(refused).replace(str(target.get("client", "")), "")  # it may echo what was typed
                if leaks(message, zeta):
                    leaked.append(f"{tool}({target}): {refused}")
            finally:
                savepoint.rollback()
    assert not answered
    assert not leaked
    assert count(db, AuditLog, AuditLog.workspace_id == zeta.workspace_id) == 0


def test_no_portfolio_tool_lists_another_tenants_client(zeta: Zeta, as_vp: ToolContext, db: Session) -> None:
    for tool, args in sorted(PORTFOLIO_TOOLS.items()):
        result = TOOLS[tool].invoke(args, as_vp)
        assert not leaks(result.model_dump(mode="json"), zeta), tool
    db.rollback()


def test_the_other_tenant_reaches_its_own_client_with_the_same_arguments(
    zeta: Zeta, db: Session, actor: Callable[[str], Actor]
) -> None:
    """Control for the two tests above: the arguments are valid, so the refusals there are about scope."""
    own = ToolContext(actor=actor("vp@zeta.example"), db_session=db, as_of=AS_OF, now=NOW, channel="test")
    answered, refused = [], {}
    for tool, args in sorted(CLIENT_TOOLS.items()):
        savepoint = db.begin_nested()
        try:
            TOOLS[tool].invoke({**args, "client": zeta.name}, own)
            answered.append(tool)
        except DomainError as problem:  # e.g. no baseline yet for a proof; never "no client called ..."
            refused[tool] = str(problem)
        finally:
            savepoint.rollback()
    assert set(refused) == {"generate_proof"}, refused  # it has no baseline yet; everything else answers
    assert "no baseline" in refused["generate_proof"]
    assert set(answered) == set(CLIENT_TOOLS) - {"generate_proof"}
