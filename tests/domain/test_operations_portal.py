"""The client portal in seed 003's shape, engagement status, overdue detection and outcome-contract summaries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import Actor, actor_for_email
from domain.clients.models import Client
from domain.demo import generate_demo
from domain.enums import DeliverableStatus, LifecycleStatus, MetricDirection, PaymentStatus, ProposalStatus, Role
from domain.errors import AccessDeniedError, NotFoundError
from domain.operations.approval import approve_proposal
from domain.operations.delivery import mark_payment_paid, update_deliverable_status
from domain.operations.models import Deliverable, Payment, Proposal
from domain.operations.portal import portal_data
from domain.operations.service import create_proposal, upsert_company
from domain.operations.status import engagement_status, overdue_items
from domain.operations.summary import proposal_summary
from domain.success.service import set_result_target
from tests.factories import Factory

# seed 003's portalData example, transcribed key for key (values as the seed shows them).
SEED_PORTAL_EXAMPLE: dict[str, Any] = {
    "client": {
        "name": "Joel Gulick",
        "company": "BusinessPoint Law",
        "contactEmail": "joel@businesspointlaw.com",
        "contactId": "xxx",
    },
    "contract": {"contractId": "contract-xxx", "status": "active", "signedDate": "2025-11-03"},
    "deliverables": [
        {
            "id": "del-1",
            "title": "3 Target Personas",
            "status": "completed",
            "completedAt": "2025-11-10",
            "category": "foundation",
        },
        {
            "id": "del-2",
            "title": "Microsoft Graph OAuth Setup",
            "status": "in-progress",
            "dueDate": "2025-11-20",
            "category": "integration",
        },
    ],
    "proposal": {"id": "proposal-xxx", "purpose": "...", "phases": [], "milestones": [], "status": "active"},
    "payments": [
        {
            "id": "payment-1",
            "amount": 500,
            "dueDate": "2025-11-15",
            "status": "pending",
            "description": "Kickoff payment",
        },
    ],
    "status": {
        "overall": "in-progress",
        "completedDeliverables": 3,
        "totalDeliverables": 8,
        "nextMilestone": "Week 4: Midpoint",
        "nextPayment": {"amount": 500, "dueDate": "2025-11-15"},
    },
}
AS_OF = dt.date(2025, 11, 18)
NOW = dt.datetime(2025, 11, 18, 10, 0, tzinfo=dt.UTC)


def item_keys(items: list[dict[str, Any]]) -> set[str]:
    """The keys list items carry; the seed's example items each show a subset of them."""
    return set().union(*(item.keys() for item in items))


def assert_seed_shape(portal: dict[str, Any]) -> None:
    assert portal.keys() == SEED_PORTAL_EXAMPLE.keys()
    for key in ("client", "contract", "proposal", "status"):
        assert portal[key].keys() == SEED_PORTAL_EXAMPLE[key].keys(), key
    assert portal["status"]["nextPayment"].keys() == SEED_PORTAL_EXAMPLE["status"]["nextPayment"].keys()
    for key in ("deliverables", "payments"):
        assert portal[key], key
        assert all(item.keys() == item_keys(SEED_PORTAL_EXAMPLE[key]) for item in portal[key]), key


@pytest.fixture
def engagement(factory: Factory) -> dict[str, Any]:
    """An approved engagement on 2025-11-03: three milestones, two payments, one done, one blocked."""
    workspace = factory.workspace()
    csm, consultant = factory.user(workspace, Role.CSM), factory.user(workspace, Role.CONSULTANT)
    client = factory.client(
        workspace,
        name=f"BusinessPoint Law {workspace.id}",
        csm_user_id=csm.id,
        lifecycle_status=LifecycleStatus.BUILDING,
    )
    contact = factory.contact(client, name="Joel Gulick", email="joel@businesspointlaw.test")
    actor = Actor.from_user(consultant)
    upsert_company(
        db_session=factory.session,
        actor=Actor.from_user(csm),
        client_id=client.id,
        name=client.name,
        contract_reference=f"contract-{workspace.id}",
    )
    proposal = create_proposal(
        db_session=factory.session,
        actor=Actor.from_user(csm),
        client_id=client.id,
        contact_id=contact.id,
        title="Outreach foundation",
        purpose="Outbound for the firm",
        consultant_id=consultant.id,
        phases=[{"name": "Foundation", "weeks": 2}],
        milestones=[
            {"id": "m-1", "name": "Week 1: 3 Target Personas", "due_date": "2025-11-10", "category": "foundation"},
            {"id": "m-2", "name": "Week 2: Graph OAuth", "due_date": "2025-11-17", "category": "integration"},
            {"id": "m-3", "name": "Week 4: Midpoint", "due_date": "2025-11-28"},
        ],
        payment_schedule=[
            {"description": "Kickoff payment", "amount": 500, "due_date": "2025-11-05"},
            {"description": "Midpoint payment", "amount": "750.25", "due_date": "2025-11-28"},
        ],
    )
    approve_proposal(db_session=factory.session, actor=actor, proposal_id=proposal.id, approved_on=dt.date(2025, 11, 3))
    ids = factory.session.scalars(select(Deliverable.id).order_by(Deliverable.id)).all()
    update_deliverable_status(
        db_session=factory.session,
        actor=actor,
        deliverable_id=ids[0],
        status="completed",
        now=dt.datetime(2025, 11, 9, 15, tzinfo=dt.UTC),
    )
    update_deliverable_status(
        db_session=factory.session,
        actor=actor,
        deliverable_id=ids[1],
        status="blocked",
        notes="Waiting on the Azure admin",
        now=NOW,
    )
    return {
        "workspace": workspace,
        "client": client,
        "contact": contact,
        "proposal_id": proposal.id,
        "consultant": actor,
        "csm": Actor.from_user(csm),
        "deliverables": ids,
        "factory": factory,
    }


def test_portal_has_exactly_the_seed_shape(db_session: Session, engagement: dict[str, Any]) -> None:
    portal = portal_data(
        db_session=db_session, actor=engagement["consultant"], proposal_id=engagement["proposal_id"], as_of=AS_OF
    )
    assert_seed_shape(portal)


def test_portal_values(db_session: Session, engagement: dict[str, Any]) -> None:
    portal = portal_data(
        db_session=db_session, actor=engagement["csm"], proposal_id=engagement["proposal_id"], as_of=AS_OF
    )
    contact = engagement["contact"]
    assert portal["client"] == {
        "name": "Joel Gulick",
        "company": engagement["client"].name,
        "contactEmail": "joel@businesspointlaw.test",
        "contactId": contact.id,
    }
    assert portal["contract"] == {
        "contractId": f"contract-{engagement['workspace'].id}",
        "status": "active",
        "signedDate": "2025-11-03",
    }
    first, second, third = portal["deliverables"]
    assert first == {
        "id": engagement["deliverables"][0],
        "title": "Week 1: 3 Target Personas",
        "status": "completed",
        "completedAt": "2025-11-09",
        "dueDate": "2025-11-10",
        "category": "foundation",
    }
    assert (second["status"], third["category"], third["completedAt"]) == ("blocked", None, None)
    assert [(p["amount"], p["status"]) for p in portal["payments"]] == [(500, "overdue"), (750.25, "pending")]
    assert portal["proposal"]["status"] == "approved"
    assert [m["id"] for m in portal["proposal"]["milestones"]] == ["m-1", "m-2", "m-3"]
    assert portal["status"] == {
        "overall": "blocked",
        "completedDeliverables": 1,
        "totalDeliverables": 3,
        "nextMilestone": "Week 2: Graph OAuth",
        "nextPayment": {"amount": 500, "dueDate": "2025-11-05"},
    }


def test_engagement_status(db_session: Session, engagement: dict[str, Any]) -> None:
    status = engagement_status(
        db_session=db_session, actor=engagement["consultant"], client_id=engagement["client"].id, as_of=AS_OF
    )
    assert status.proposal_ids == [engagement["proposal_id"]]
    assert [(d.status, d.overdue, d.days_overdue) for d in status.deliverables] == [
        (DeliverableStatus.COMPLETED, False, 0),
        (DeliverableStatus.BLOCKED, True, 1),
        (DeliverableStatus.PENDING, False, 0),
    ]
    assert [(p.overdue, p.days_overdue) for p in status.payments] == [(True, 13), (False, 0)]
    assert (status.completed_deliverables, status.total_deliverables, status.overall) == (1, 3, "blocked")
    assert status.next_milestone is not None
    assert (status.next_milestone.name, status.next_milestone.milestone_id) == ("Week 2: Graph OAuth", "m-2")
    assert status.next_payment is not None
    assert (status.next_payment.amount, status.next_payment.due_date) == (Decimal(500), dt.date(2025, 11, 5))
    assert [d.notes for d in status.blocked] == ["Waiting on the Azure admin"]
    assert (status.overdue_deliverables, status.overdue_payments) == (1, 1)
    assert status.source_ids["deliverables"] == [d.id for d in status.deliverables]


def test_overdue_items(db_session: Session, engagement: dict[str, Any], factory: Factory) -> None:
    workspace_id = engagement["workspace"].id
    found = overdue_items(db_session=db_session, workspace_id=workspace_id, as_of=AS_OF)
    assert [d.deliverable_id for d in found.deliverables] == [engagement["deliverables"][1]]  # due 17th, blocked
    assert [(p.description, p.days_overdue) for p in found.payments] == [("Kickoff payment", 13)]
    on_the_day = overdue_items(db_session=db_session, workspace_id=workspace_id, as_of=dt.date(2025, 11, 17))
    assert on_the_day.deliverables == []  # due today is not overdue yet
    payment = db_session.scalar(select(Payment).where(Payment.description == "Kickoff payment"))
    assert payment is not None
    mark_payment_paid(db_session=db_session, actor=engagement["consultant"], payment_id=payment.id, paid_at=NOW)
    later = overdue_items(db_session=db_session, workspace_id=workspace_id, as_of=dt.date(2025, 12, 1))
    assert [p.description for p in later.payments] == ["Midpoint payment"]
    assert [d.deliverable_id for d in later.deliverables] == engagement["deliverables"][1:]
    other = factory.workspace()
    assert overdue_items(db_session=db_session, workspace_id=other.id, as_of=dt.date(2025, 12, 1)).payments == []


def test_portal_and_status_scoping(db_session: Session, engagement: dict[str, Any]) -> None:
    factory: Factory = engagement["factory"]
    colleague = factory.user(engagement["workspace"], Role.CONSULTANT)
    factory.proposal(engagement["client"], colleague, status=ProposalStatus.ACTIVE)  # another engagement, same client
    stranger = Actor.from_user(colleague)
    with pytest.raises(AccessDeniedError, match="owned by another consultant"):
        portal_data(db_session=db_session, actor=stranger, proposal_id=engagement["proposal_id"], as_of=AS_OF)
    own = engagement_status(db_session=db_session, actor=stranger, client_id=engagement["client"].id, as_of=AS_OF)
    assert engagement["proposal_id"] not in own.proposal_ids  # a consultant sees only the engagements they own
    loner = Actor.from_user(factory.user(engagement["workspace"], Role.CONSULTANT))
    with pytest.raises(AccessDeniedError):
        engagement_status(db_session=db_session, actor=loner, client_id=engagement["client"].id, as_of=AS_OF)
    outsider = Actor.from_user(factory.user(factory.workspace(), Role.ADMIN))
    with pytest.raises(NotFoundError):
        portal_data(db_session=db_session, actor=outsider, proposal_id=engagement["proposal_id"], as_of=AS_OF)
    with pytest.raises(NotFoundError):
        engagement_status(db_session=db_session, actor=outsider, client_id=engagement["client"].id, as_of=AS_OF)
    csm_view = engagement_status(
        db_session=db_session, actor=engagement["csm"], client_id=engagement["client"].id, as_of=AS_OF
    )
    assert engagement["proposal_id"] in csm_view.proposal_ids


def test_proposal_summary_is_an_outcome_contract_with_a_target(db_session: Session, engagement: dict[str, Any]) -> None:
    plain = proposal_summary(db_session=db_session, actor=engagement["csm"], proposal_id=engagement["proposal_id"])
    assert not plain.is_outcome_contract
    assert plain.outcome_contract is None
    assert plain.framing.startswith(f"Proposal for {engagement['client'].name} (approved)")
    assert plain.payment_total == Decimal("1250.25")
    target = set_result_target(
        db_session=db_session,
        actor=engagement["consultant"],
        client_id=engagement["client"].id,
        current_state="Conflict checks take 20 hours a week.",
        target_state="One search at intake.",
        metric="hours on conflict checks",
        unit="hours/week",
        direction=MetricDirection.LOWER_IS_BETTER,
        current_value=20,
        target_value=5,
        target_date=dt.date(2026, 2, 1),
        as_of=AS_OF,
    )
    framed = proposal_summary(
        db_session=db_session, actor=engagement["consultant"], proposal_id=engagement["proposal_id"], as_of=AS_OF
    )
    assert framed.is_outcome_contract
    assert framed.outcome_contract is not None
    assert framed.outcome_contract.target_id == target.target.id
    assert framed.framing == (
        "Outcome contract: hours on conflict checks from 20 to 5 hours/week by 2026-02-01. "
        "Now: Conflict checks take 20 hours a week. Target: One search at intake."
    )
    assert framed.source_ids == {"proposals": [engagement["proposal_id"]], "result_targets": [target.target.id]}


DEMO_AS_OF = dt.date(2026, 11, 22)


def test_demo_engagements_hydrate_the_portal(db_session: Session) -> None:
    generate_demo(db_session=db_session, as_of=DEMO_AS_OF, seed=7, clients=12)
    consultant = actor_for_email(db_session, "consultant@demo.csagent.dev")
    proposals = db_session.scalars(
        select(Proposal).where(Proposal.workspace_id == consultant.workspace_id).order_by(Proposal.id)
    ).all()
    names = {db_session.get(Client, p.client_id).name for p in proposals}  # type: ignore[union-attr]
    assert {"Northwind Logistics", "BusinessPoint Law"} <= names
    for proposal in proposals:
        portal = portal_data(db_session=db_session, actor=consultant, proposal_id=proposal.id, as_of=DEMO_AS_OF)
        assert portal.keys() == SEED_PORTAL_EXAMPLE.keys()
        assert all(d.keys() == item_keys(SEED_PORTAL_EXAMPLE["deliverables"]) for d in portal["deliverables"])
        status = engagement_status(
            db_session=db_session, actor=consultant, client_id=proposal.client_id, as_of=DEMO_AS_OF
        )
        assert status.total_deliverables == len(portal["deliverables"])
        assert status.completed_deliverables == portal["status"]["completedDeliverables"]
    overdue = overdue_items(db_session=db_session, workspace_id=consultant.workspace_id, as_of=DEMO_AS_OF)
    assert overdue.payments
    first = portal_data(
        db_session=db_session, actor=consultant, proposal_id=overdue.payments[0].proposal_id, as_of=DEMO_AS_OF
    )
    assert PaymentStatus.OVERDUE.value in {payment["status"] for payment in first["payments"]}
