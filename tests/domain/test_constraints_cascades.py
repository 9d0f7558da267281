"""Foreign keys: what goes with a deleted client, user, proposal, contact or workspace, and what refuses to go."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import delete, func, inspect, select
from sqlalchemy.orm import Session

from domain.activities.models import Activity, Note
from domain.adoption.models import Feature, FeatureAdoption
from domain.alerts.models import Alert
from domain.audit import IdempotencyKey, record_audit
from domain.billing.models import Invoice
from domain.churn.models import ChurnPrediction
from domain.clients.models import Client, Contact
from domain.enums import InsightType, InterventionKind, Role, SupportInteractionType
from domain.insights.models import Insight
from domain.models import Base
from domain.onboarding.models import InterventionRule, InterventionRun, Milestone, OnboardingProgress
from domain.operations.models import Company, Contract, Deliverable, Payment, Proposal
from domain.scoring.models import HealthSnapshot, ScoreConfig
from domain.staff.models import User, Workspace
from domain.success.models import (
    BaselineSnapshot,
    ClientFeedback,
    Intervention,
    OutcomeEntry,
    ProofPost,
    ResultTarget,
    Risk,
)
from domain.support.models import SupportInteraction, SupportTicket, SurveyResponse
from domain.usage.models import EngagementEvent, UsageRollup
from tests.factories import Factory

NOW = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)

# The client-owned tables populate_client fills; the schema test below covers any table added later.
CLIENT_OWNED = [
    Activity,
    Alert,
    BaselineSnapshot,
    ChurnPrediction,
    ClientFeedback,
    Company,
    Contact,
    EngagementEvent,
    FeatureAdoption,
    HealthSnapshot,
    Insight,
    Intervention,
    InterventionRun,
    Invoice,
    Milestone,
    Note,
    OnboardingProgress,
    OutcomeEntry,
    ProofPost,
    Proposal,
    ResultTarget,
    Risk,
    SupportInteraction,
    SupportTicket,
    SurveyResponse,
    UsageRollup,
]


def count(session: Session, model: type[Any], *where: Any) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _add(session: Session, *rows: Any) -> None:
    session.add_all(rows)
    session.flush()


def populate_client(factory: Factory, client: Client, author: User, config: ScoreConfig) -> dict[str, int]:
    """One row in every client-owned table (plus payments, deliverables, contracts); returns their ids."""
    f, session = factory, factory.session
    workspace = session.get(Workspace, client.workspace_id)
    assert workspace is not None
    contact = f.contact(client)
    proposal = f.proposal(client, f.user(workspace, Role.CONSULTANT))
    company = session.get(Company, proposal.company_id)
    assert company is not None
    rule = session.scalar(select(InterventionRule).where(InterventionRule.workspace_id == workspace.id))
    if rule is None:
        rule = InterventionRule(workspace_id=workspace.id, condition="no_login_7_days", action="email", template="t")
        _add(session, rule)
    for build in (
        lambda: f.activity(client, author),
        lambda: f.alert(client),
        lambda: f.churn_prediction(client, f.churn_model(workspace)),
        lambda: f.engagement_event(client),
        lambda: f.feature_adoption(client, f.feature(workspace)),
        lambda: f.health_snapshot(client, config),
        lambda: f.invoice(client),
        lambda: f.milestone(client),
        lambda: f.note(client, author),
        lambda: f.outcome_entry(client),
        lambda: f.result_target(client),
        lambda: f.risk(client),
        lambda: f.survey_response(client, contact_id=contact.id),
        lambda: f.support_ticket(client, contact_id=contact.id),
        lambda: f.usage_rollup(client),
    ):
        build()
    _add(
        session,
        BaselineSnapshot(client_id=client.id, captured_on=NOW.date(), metrics={"hours": {"value": 10}}),
        ClientFeedback(client_id=client.id, response="Exports are slow", received_on=NOW.date()),
        Insight(
            client_id=client.id,
            week_start=NOW.date(),
            insight_key="k",
            insight_type=InsightType.TIP,
            title="t",
            body="b",
        ),
        Intervention(client_id=client.id, kind=InterventionKind.AUTOMATION, title="Zapier", occurred_on=NOW.date()),
        InterventionRun(rule_id=rule.id, client_id=client.id, run_on=NOW.date(), recommended_action="email"),
        OnboardingProgress(client_id=client.id, started_on=NOW.date()),
        ProofPost(client_id=client.id, title="t", body="b"),
        SupportInteraction(client_id=client.id, type=SupportInteractionType.CHECK_IN, occurred_at=NOW),
    )
    return {
        "payment": f.payment(proposal).id,
        "deliverable": f.deliverable(contact, proposal_id=proposal.id).id,
        "contract": f.contract(company).id,
    }


@pytest.fixture
def workspace(factory: Factory) -> Workspace:
    return factory.workspace()


def test_every_foreign_key_to_clients_cascades_in_the_migrated_schema(db_session: Session) -> None:
    declared = {
        fk.parent.table.name
        for table in Base.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table.name == "clients"
    }
    inspector = inspect(db_session.connection())
    migrated = [
        (table, fk)
        for table in inspector.get_table_names()
        for fk in inspector.get_foreign_keys(table)
        if fk["referred_table"] == "clients"
    ]
    assert {table for table, _ in migrated} == declared
    assert {model.__tablename__ for model in CLIENT_OWNED} <= declared
    not_cascading = [
        table for table, fk in migrated if (fk.get("options") or {}).get("ondelete", "").upper() != "CASCADE"
    ]
    assert not_cascading == []


def test_deleting_a_client_removes_everything_it_owns(
    db_session: Session, factory: Factory, workspace: Workspace
) -> None:
    author = factory.user(workspace)
    config = factory.score_config(workspace)
    doomed, kept = factory.client(workspace), factory.client(workspace)
    doomed_children = populate_client(factory, doomed, author, config)
    kept_children = populate_client(factory, kept, author, config)

    db_session.execute(delete(Client).where(Client.id == doomed.id))
    db_session.expire_all()

    for model in CLIENT_OWNED:
        assert count(db_session, model, model.client_id == doomed.id) == 0, model.__tablename__
        assert count(db_session, model, model.client_id == kept.id) == 1, model.__tablename__
    assert count(db_session, Payment, Payment.id == doomed_children["payment"]) == 0
    assert count(db_session, Deliverable, Deliverable.id == doomed_children["deliverable"]) == 0
    assert count(db_session, Contract, Contract.id == doomed_children["contract"]) == 0
    assert count(db_session, Payment, Payment.id == kept_children["payment"]) == 1
    assert count(db_session, Deliverable, Deliverable.id == kept_children["deliverable"]) == 1
    # What the client pointed at stays.
    assert db_session.get(User, author.id) is not None
    assert db_session.get(ScoreConfig, config.id) is not None


def test_deleting_a_user_unassigns_rather_than_deletes(
    db_session: Session, factory: Factory, workspace: Workspace
) -> None:
    csm = factory.user(workspace, Role.CSM)
    consultant = factory.user(workspace, Role.CONSULTANT)
    client = factory.client(workspace, csm_user_id=csm.id, ae_user_id=csm.id)
    proposal = factory.engagement(client, consultant)
    alert = factory.alert(client, acknowledged_by_id=csm.id, acknowledged_at=NOW)
    audit = record_audit(
        db_session, workspace_id=workspace.id, actor_user_id=csm.id, action="update", entity_type="client", entity_id=1
    )
    db_session.flush()

    db_session.execute(delete(User).where(User.id.in_([csm.id, consultant.id])))
    db_session.expire_all()

    assert (client.csm_user_id, client.ae_user_id) == (None, None)
    assert proposal.consultant_id is None
    assert alert.acknowledged_by_id is None
    assert audit.actor_user_id is None
    assert count(db_session, Client, Client.id == client.id) == 1


def test_deleting_an_author_keeps_their_notes_and_activities(
    db_session: Session, factory: Factory, workspace: Workspace
) -> None:
    author = factory.user(workspace)
    client = factory.client(workspace)
    note = factory.note(client, author, is_private=True)
    activity = factory.activity(client, author)

    db_session.execute(delete(User).where(User.id == author.id))
    db_session.expire_all()

    assert (note.created_by_id, note.is_private) == (None, True)
    assert activity.performed_by_id is None


def test_deleting_a_proposal_removes_payments_and_keeps_deliverables(
    db_session: Session, factory: Factory, workspace: Workspace
) -> None:
    client = factory.client(workspace)
    proposal = factory.proposal(client)
    payment_id = factory.payment(proposal, amount=Decimal("500")).id
    deliverable = factory.deliverable(factory.contact(client), proposal_id=proposal.id, milestone_id="m1")

    db_session.execute(delete(Proposal).where(Proposal.id == proposal.id))
    db_session.expire_all()

    assert count(db_session, Payment, Payment.id == payment_id) == 0
    assert deliverable.proposal_id is None


def test_deleting_a_contact_removes_deliverables_and_keeps_feedback(
    db_session: Session, factory: Factory, workspace: Workspace
) -> None:
    client = factory.client(workspace)
    contact = factory.contact(client)
    deliverable_id = factory.deliverable(contact).id
    survey = factory.survey_response(client, contact_id=contact.id)
    ticket = factory.support_ticket(client, contact_id=contact.id)

    db_session.execute(delete(Contact).where(Contact.id == contact.id))
    db_session.expire_all()

    assert count(db_session, Deliverable, Deliverable.id == deliverable_id) == 0
    assert (survey.contact_id, ticket.contact_id) == (None, None)


def test_deleting_a_workspace_removes_its_clients_and_staff(db_session: Session, factory: Factory) -> None:
    doomed, kept = factory.workspace(), factory.workspace()
    contact_ids = {}
    for workspace in (doomed, kept):
        csm = factory.user(workspace)
        client = factory.client(workspace, name="Acme", csm_user_id=csm.id)
        contact_ids[workspace.id] = factory.contact(client).id
        factory.engagement_event(client)
        factory.engagement(client, factory.user(workspace, Role.CONSULTANT))
        factory.feature(workspace)
        _add(db_session, IdempotencyKey(workspace_id=workspace.id, key="k", operation="op", result={}))

    db_session.execute(delete(Workspace).where(Workspace.id == doomed.id))

    for model in (Client, User, EngagementEvent, Feature, IdempotencyKey, Proposal, Company):
        assert count(db_session, model, model.workspace_id == doomed.id) == 0, model.__tablename__
        assert count(db_session, model, model.workspace_id == kept.id) > 0, model.__tablename__
    assert count(db_session, Contact, Contact.id == contact_ids[doomed.id]) == 0
    assert count(db_session, Contact, Contact.id == contact_ids[kept.id]) == 1


def test_deleting_a_workspace_with_history_removes_it_all(db_session: Session, factory: Factory) -> None:
    """Authored notes, activities and snapshots must not block the cascade (they once did, by RESTRICT)."""
    client_ids = {}
    for name in ("doomed", "kept"):
        workspace = factory.workspace()
        author = factory.user(workspace)
        client = factory.client(workspace, csm_user_id=author.id)
        populate_client(factory, client, author, factory.score_config(workspace))
        client_ids[name] = (workspace.id, client.id)
    doomed_workspace, doomed_client = client_ids["doomed"]
    kept_workspace, kept_client = client_ids["kept"]

    db_session.execute(delete(Workspace).where(Workspace.id == doomed_workspace))

    for model in CLIENT_OWNED:
        assert count(db_session, model, model.client_id == doomed_client) == 0, model.__tablename__
        assert count(db_session, model, model.client_id == kept_client) == 1, model.__tablename__
    for model in (User, ScoreConfig, Client):
        assert count(db_session, model, model.workspace_id == doomed_workspace) == 0, model.__tablename__
        assert count(db_session, model, model.workspace_id == kept_workspace) > 0, model.__tablename__
