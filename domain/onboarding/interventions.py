"""Seed 002's daily interventions: evaluate each enabled rule for every active client, log what to recommend.

Nothing is ever sent. A run is a recommendation for the client's CSM, who marks it done or dismissed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from domain.access import Actor, get_visible_client, visible_clients_clause
from domain.audit import record_audit
from domain.clients.models import Client
from domain.enums import LifecycleStatus
from domain.errors import ConflictError, NotFoundError, ValidationError
from domain.onboarding.intervention_rules import CONDITIONS, DEFAULT_RULES, ClientFacts, Finding, recommended_action
from domain.onboarding.models import InterventionRule, InterventionRun
from domain.onboarding.path import onboarding_progress_by_client
from domain.onboarding.path_rules import StepStatus, missed_steps
from domain.onboarding.schemas import InterventionRuleView, InterventionRunReport, RecommendedAction, RunStatus
from domain.scoring.inputs import gather_inputs, licensed_feature_expectations

COOLDOWN_DAYS = 7  # a rule a CSM closed (done or dismissed) for a client stays quiet for it this long
OPEN_FOR_DAYS = 7  # how far back list_recommended_actions looks for a rule's latest recommendation
NOT_CUSTOMERS = (LifecycleStatus.PROSPECT, LifecycleStatus.CHURNED)
_CONDITION_ORDER = {condition: rank for rank, (condition, _, _) in enumerate(DEFAULT_RULES)}

RunKey = tuple[int, int]  # (rule_id, client_id)


def ensure_default_rules(*, db_session: Session, workspace_id: int) -> list[InterventionRuleView]:
    """Add seed 002's five rules to a workspace where missing; rules a tenant already edited stay as they are."""
    existing = set(
        db_session.scalars(select(InterventionRule.condition).where(InterventionRule.workspace_id == workspace_id))
    )
    for condition, action, template in DEFAULT_RULES:
        if condition not in existing:
            db_session.add(
                InterventionRule(
                    workspace_id=workspace_id, condition=condition, action=action, template=template, enabled=True
                )
            )
    db_session.flush()
    rules = db_session.scalars(
        select(InterventionRule).where(InterventionRule.workspace_id == workspace_id).order_by(InterventionRule.id)
    )
    return [InterventionRuleView.model_validate(rule, from_attributes=True) for rule in rules]


def run_daily_interventions(*, db_session: Session, workspace_id: int, as_of: dt.date) -> InterventionRunReport:
    """Write one recommendation per rule whose condition holds for an active client on `as_of`; re-runs add nothing."""
    rules = [
        rule
        for rule in db_session.scalars(
            select(InterventionRule)
            .where(InterventionRule.workspace_id == workspace_id, InterventionRule.enabled.is_(True))
            .order_by(InterventionRule.id)
        )
        if rule.condition in CONDITIONS
    ]
    facts = _client_facts(db_session, workspace_id, as_of)
    history = _recent_runs(db_session, [rule.id for rule in rules], as_of)
    rows: list[dict[str, Any]] = []
    counts: Counter[str] = Counter()
    for client_id, client_facts in facts.items():
        for rule in rules:
            finding = CONDITIONS[rule.condition](client_facts)
            if finding is None:
                continue
            outcome = _outcome(history.get((rule.id, client_id), []), as_of)
            counts[outcome] += 1
            if outcome == "new":
                counts[f"new:{rule.condition}"] += 1
                rows.append(_run_row(rule, client_id, client_facts.name, finding, as_of))
    if rows:
        db_session.execute(insert(InterventionRun), rows)
    return InterventionRunReport(
        workspace_id=workspace_id,
        as_of=as_of,
        conditions=[rule.condition for rule in rules],
        clients_evaluated=len(facts),
        recommended=len(rows),
        already_recorded=counts["recorded"],
        suppressed=counts["suppressed"],
        by_condition={rule.condition: counts[f"new:{rule.condition}"] for rule in rules},
    )


def list_recommended_actions(
    *, db_session: Session, actor: Actor, as_of: dt.date, client_id: int | None = None
) -> list[RecommendedAction]:
    """Open recommendations for the actor's clients: each rule's latest run of the last week, if still open."""
    query = (
        select(InterventionRun, InterventionRule, Client.name)
        .join(InterventionRule, InterventionRule.id == InterventionRun.rule_id)
        .join(Client, Client.id == InterventionRun.client_id)
        .where(
            visible_clients_clause(actor),
            InterventionRun.run_on.between(as_of - dt.timedelta(days=OPEN_FOR_DAYS - 1), as_of),
        )
        .order_by(InterventionRun.run_on.desc(), InterventionRun.id.desc())
    )
    if client_id is not None:
        get_visible_client(db_session, actor, client_id)
        query = query.where(InterventionRun.client_id == client_id)
    latest: dict[RunKey, RecommendedAction] = {}
    for run, rule, client_name in db_session.execute(query):
        latest.setdefault((rule.id, run.client_id), _view(run, rule, client_name))
    open_actions = [action for action in latest.values() if action.status is RunStatus.RECOMMENDED]
    return sorted(open_actions, key=lambda a: (a.client_name, _CONDITION_ORDER.get(a.condition, 99), a.condition))


def mark_intervention(*, db_session: Session, actor: Actor, run_id: int, status: RunStatus | str) -> RecommendedAction:
    """Mark a recommendation done or dismissed; marking it the same way again changes nothing."""
    new_status = _closing_status(status)
    found = db_session.execute(
        select(InterventionRun, InterventionRule)
        .join(InterventionRule, InterventionRule.id == InterventionRun.rule_id)
        .where(InterventionRun.id == run_id)
    ).first()
    if found is None or found[1].workspace_id != actor.workspace_id:
        raise NotFoundError(f"no recommended action with id {run_id}")
    run, rule = found
    client = get_visible_client(db_session, actor, run.client_id)
    if run.status == new_status:
        return _view(run, rule, client.name)
    if run.status != RunStatus.RECOMMENDED:
        raise ConflictError(f"this recommendation for {client.name} was already marked {run.status}")
    run.status = new_status.value
    record_audit(
        db_session,
        workspace_id=actor.workspace_id,
        actor_user_id=actor.user_id,
        action="mark_intervention",
        entity_type="intervention_run",
        entity_id=run.id,
        before={"status": RunStatus.RECOMMENDED.value},
        after={"status": new_status.value},
    )
    db_session.flush()
    return _view(run, rule, client.name)


def _client_facts(session: Session, workspace_id: int, as_of: dt.date) -> dict[int, ClientFacts]:
    clients = session.execute(
        select(Client.id, Client.name, Client.contract_start_date).where(
            Client.workspace_id == workspace_id,
            Client.lifecycle_status.not_in(NOT_CUSTOMERS),
            Client.contract_start_date <= as_of,
        )
    ).all()
    # The whole workspace in one pass: cheaper than an IN list of thousands of ids.
    inputs = gather_inputs(db_session=session, workspace_id=workspace_id, as_of=as_of)
    features = licensed_feature_expectations(db_session=session, workspace_id=workspace_id)
    progress = onboarding_progress_by_client(db_session=session, workspace_id=workspace_id)
    facts = {}
    for client_id, name, since in clients:
        onboarding = progress.get(client_id)
        started = onboarding.started_on if onboarding and onboarding.started_on <= as_of else None
        missed: tuple[StepStatus, ...] = ()
        if onboarding and started and onboarding.fully_activated_at is None:
            missed = tuple(missed_steps(started_on=started, completed=onboarding.completed, as_of=as_of))
        facts[client_id] = ClientFacts(
            name=name,
            customer_since=since,
            inputs=inputs[client_id],
            features=features,
            onboarding_started_on=started,
            missed_onboarding=missed,
        )
    return facts


def _recent_runs(session: Session, rule_ids: list[int], as_of: dt.date) -> dict[RunKey, list[tuple[dt.date, str]]]:
    history: dict[RunKey, list[tuple[dt.date, str]]] = {}
    if not rule_ids:
        return history
    rows = session.execute(
        select(
            InterventionRun.rule_id, InterventionRun.client_id, InterventionRun.run_on, InterventionRun.status
        ).where(
            InterventionRun.rule_id.in_(rule_ids),
            InterventionRun.run_on.between(as_of - dt.timedelta(days=COOLDOWN_DAYS), as_of),
        )
    )
    for rule_id, client_id, run_on, status in rows:
        history.setdefault((rule_id, client_id), []).append((run_on, status))
    return history


def _outcome(runs: list[tuple[dt.date, str]], as_of: dt.date) -> str:
    if any(run_on == as_of for run_on, _ in runs):
        return "recorded"
    if any(status != RunStatus.RECOMMENDED for _, status in runs):
        return "suppressed"
    return "new"


def _run_row(rule: InterventionRule, client_id: int, name: str, finding: Finding, as_of: dt.date) -> dict[str, Any]:
    text = recommended_action(client_name=name, finding=finding, action=rule.action, template=rule.template)
    details = {"condition": rule.condition, "evidence": finding.evidence, **finding.details, "sent": False}
    return {
        "rule_id": rule.id,
        "client_id": client_id,
        "run_on": as_of,
        "recommended_action": text,
        "status": RunStatus.RECOMMENDED.value,
        "details": details,
    }


def _closing_status(status: RunStatus | str) -> RunStatus:
    try:
        parsed = RunStatus(str(status).strip().lower())
    except ValueError:
        parsed = None
    if parsed not in (RunStatus.DONE, RunStatus.DISMISSED):
        raise ValidationError(f"a recommendation can be marked done or dismissed, not {status!r}")
    return parsed


def _view(run: InterventionRun, rule: InterventionRule, client_name: str) -> RecommendedAction:
    return RecommendedAction(
        run_id=run.id,
        client_id=run.client_id,
        client_name=client_name,
        run_on=run.run_on,
        condition=rule.condition,
        action=rule.action,
        template=rule.template,
        recommended_action=run.recommended_action,
        status=RunStatus(run.status),
        details=dict(run.details or {}),
    )
