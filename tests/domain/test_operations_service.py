"""Seed 003's flow on both backends: company and contract, proposal, approval into work, status changes, payments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.audit import AuditLog
from domain.clients.models import Client, Contact
from domain.enums import ContractStatus, DeliverableStatus, LifecycleStatus, PaymentStatus, ProposalStatus, Role
from domain.errors import AccessDeniedError, ConflictError, NotFoundError, ValidationError
from domain.operations.approval import approve_proposal
from domain.operations.delivery import mark_payment_paid, update_deliverable_status
from domain.operations.models import Company, Contract, Deliverable, Payment, Proposal
from domain.operations.service import create_proposal, upsert_company
from domain.staff.models import User, Workspace
from tests.factories import Factory

APPROVED_ON = dt.date(2025, 11, 3)
NOW = dt.datetime(2025, 11, 12, 16, 30, tzinfo=dt.UTC)
MILESTONES = [
    {"id": "m-1", "name": "Week 2: Target personas", "due_date": "2025-11-10", "category": "foundation"},
    {
        "id": "m-2",
        "name": "Week 3: Microsoft Graph OAuth",
        "due_date": dt.date(2025, 11, 20),
        "category": "integration",
    },
    {"id": "m-3", "name": "Week 4: Midpoint", "due_date": "2025-11-27"},
]
SCHEDULE = [
    {"description": "Kickoff payment", "amount": 500, "due_date": "2025-11-05"},
    {"description": "Midpoint payment", "amount": "1250.50", "due_date": "2025-11-27"},
]


@dataclass
class Ops:
    workspace: Workspace
    csm: User
    consultant: User
    other_consultant: User
    client: Client
    contact: Contact
    outsider: Actor

    def actor(self, user: User) -> Actor:
        return Actor.from_user(user)


@pytest.fixture
def ops(factory: Factory) -> Ops:
    workspace = factory.workspace()
    csm = factory.user(workspace, Role.CSM)
    consultant = factory.user(workspace, Role.CONSULTANT)
    other_consultant = factory.user(workspace, Role.CONSULTANT)
    client = factory.client(
        workspace,
        name=f"BusinessPoint Law {workspace.id}",
        csm_user_id=csm.id,
        lifecycle_status=LifecycleStatus.APPROVED,
    )
    contact = factory.contact(client, name="Joel Gulick", email=f"joel{workspace.id}@businesspointlaw.test")
    factory.engagement(factory.client(workspace), other_consultant)
    outsider = Actor.from_user(factory.user(factory.workspace(), Role.ADMIN))
    return Ops(workspace, csm, consultant, other_consultant, client, contact, outsider)


def new_proposal(session: Session, ops: Ops, **overrides: Any) -> int:
    arguments: dict[str, Any] = {
        "client_id": ops.client.id,
        "contact_id": ops.contact.id,
        "title": "Outreach foundation",
        "purpose": "Stand up outbound for the firm",
        "phases": [{"name": "Foundation", "weeks": 2}, {"id": "p-2", "name": "Integration", "weeks": 3}],
        "milestones": MILESTONES,
        "payment_schedule": SCHEDULE,
        "consultant_id": ops.consultant.id,
        **overrides,
    }
    return create_proposal(db_session=session, actor=ops.actor(ops.csm), **arguments).id


def approved(session: Session, ops: Ops) -> int:
    proposal_id = new_proposal(session, ops)
    approve_proposal(
        db_session=session, actor=ops.actor(ops.consultant), proposal_id=proposal_id, approved_on=APPROVED_ON
    )
    return proposal_id


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_upsert_company_links_the_contract(db_session: Session, ops: Ops, factory: Factory) -> None:
    actor = ops.actor(ops.csm)
    first = upsert_company(db_session=db_session, actor=actor, client_id=ops.client.id, name="BusinessPoint Law LLP")
    assert (first.contract_id, first.contract) == (None, None)
    linked = upsert_company(
        db_session=db_session,
        actor=actor,
        client_id=ops.client.id,
        name=" BusinessPoint Law ",
        contract_reference="contract-bpl-1",
    )
    assert linked.id == first.id
    assert (linked.name, linked.contract_id) == ("BusinessPoint Law", "contract-bpl-1")
    assert linked.contract is not None
    assert linked.contract.status is ContractStatus.PENDING
    assert count(db_session, Company) == 2  # this one and the other consultant's client
    assert db_session.scalar(select(Contract.company_id).where(Contract.reference == "contract-bpl-1")) == first.id
    other = factory.client(ops.workspace, name="Other Co")
    factory.engagement(other, ops.consultant)  # gives the other client its company, "Other Co"
    with pytest.raises(ConflictError, match="another client already has"):
        upsert_company(db_session=db_session, actor=actor, client_id=ops.client.id, name="Other Co")
    with pytest.raises(ConflictError, match="belongs to another company"):
        upsert_company(
            db_session=db_session,
            actor=Actor.from_user(factory.user(ops.workspace, Role.ADMIN)),
            client_id=other.id,
            name="Other Co",
            contract_reference="contract-bpl-1",
        )
    audited = db_session.scalars(select(AuditLog.entity_type).where(AuditLog.entity_id == str(first.id))).all()
    assert "company" in audited


def test_create_proposal_stores_the_plan(db_session: Session, ops: Ops) -> None:
    proposal = db_session.get(Proposal, new_proposal(db_session, ops))
    assert proposal is not None
    assert proposal.status is ProposalStatus.DRAFT
    assert (proposal.consultant_id, proposal.contact_id) == (ops.consultant.id, ops.contact.id)
    assert [p["id"] for p in proposal.phases] == ["phase-1", "p-2"]
    assert proposal.milestones[1] == {
        "id": "m-2",
        "name": "Week 3: Microsoft Graph OAuth",
        "due_date": "2025-11-20",
        "category": "integration",
    }
    assert [line["amount"] for line in proposal.payment_schedule] == ["500", "1250.50"]
    assert count(db_session, Payment) == 0  # a draft owes nothing yet
    company = db_session.get(Company, proposal.company_id)
    assert company is not None
    assert company.client_id == ops.client.id  # contact-first: the company was confirmed on the way


@pytest.mark.parametrize(
    ("overrides", "error", "message"),
    [
        (
            {"milestones": [MILESTONES[0], {"name": "x", "due_date": "2025-13-01"}]},
            ValidationError,
            "milestone 2: due_date",
        ),
        ({"milestones": [MILESTONES[0], MILESTONES[0]]}, ValidationError, "repeated: m-1"),
        (
            {"milestones": [{"name": "x", "due_date": "2025-11-01", "owner": "me"}]},
            ValidationError,
            "milestone 1: owner",
        ),
        (
            {"payment_schedule": [{"description": "x", "amount": 0, "due_date": "2025-11-01"}]},
            ValidationError,
            "payment 1: amount",
        ),
        ({"phases": [{"weeks": 2}]}, ValidationError, "phase 1: name"),
        ({"title": " "}, ValidationError, "title is required"),
        ({"contact_id": 0}, NotFoundError, "has no contact"),
        ({"consultant_id": 0}, NotFoundError, "no active staff user"),
    ],
)
def test_bad_proposals_are_refused_and_nothing_is_written(
    db_session: Session, ops: Ops, overrides: dict[str, Any], error: type[Exception], message: str
) -> None:
    before = count(db_session, Proposal)
    with pytest.raises(error, match=message):
        new_proposal(db_session, ops, **overrides)
    assert count(db_session, Proposal) == before


def test_approval_creates_a_deliverable_per_milestone_and_the_payments(db_session: Session, ops: Ops) -> None:
    upsert_company(
        db_session=db_session,
        actor=ops.actor(ops.csm),
        client_id=ops.client.id,
        name="BPL",
        contract_reference="contract-bpl-9",
    )
    proposal_id = new_proposal(db_session, ops)
    result = approve_proposal(
        db_session=db_session, actor=ops.actor(ops.consultant), proposal_id=proposal_id, approved_on=APPROVED_ON
    )
    assert result.proposal.status is ProposalStatus.APPROVED
    assert result.proposal.approved_on == APPROVED_ON
    deliverables = db_session.scalars(select(Deliverable).order_by(Deliverable.id)).all()
    assert [(d.milestone_id, d.title, d.status, d.due_date, d.contact_id, d.category) for d in deliverables] == [
        (
            "m-1",
            "Week 2: Target personas",
            DeliverableStatus.PENDING,
            dt.date(2025, 11, 10),
            ops.contact.id,
            "foundation",
        ),
        (
            "m-2",
            "Week 3: Microsoft Graph OAuth",
            DeliverableStatus.PENDING,
            dt.date(2025, 11, 20),
            ops.contact.id,
            "integration",
        ),
        ("m-3", "Week 4: Midpoint", DeliverableStatus.PENDING, dt.date(2025, 11, 27), ops.contact.id, None),
    ]
    payments = db_session.scalars(select(Payment).order_by(Payment.id)).all()
    assert [(p.description, p.amount, p.status) for p in payments] == [
        ("Kickoff payment", Decimal(500), PaymentStatus.PENDING),
        ("Midpoint payment", Decimal("1250.50"), PaymentStatus.PENDING),
    ]
    assert result.created_deliverable_ids == [d.id for d in deliverables]
    contract = db_session.scalar(select(Contract).where(Contract.reference == "contract-bpl-9"))
    assert contract is not None
    assert (contract.status, contract.signed_on) == (ContractStatus.ACTIVE, APPROVED_ON)
    again = approve_proposal(
        db_session=db_session, actor=ops.actor(ops.consultant), proposal_id=proposal_id, approved_on=APPROVED_ON
    )
    assert (again.created_deliverable_ids, again.created_payment_ids) == ([], [])
    assert again.deliverable_ids == result.deliverable_ids
    assert (count(db_session, Deliverable), count(db_session, Payment)) == (3, 2)


def test_approval_refusals(db_session: Session, ops: Ops) -> None:
    actor = ops.actor(ops.csm)
    proposal_id = approved(db_session, ops)
    with pytest.raises(ConflictError, match="already approved on 2025-11-03"):
        approve_proposal(db_session=db_session, actor=actor, proposal_id=proposal_id, approved_on=dt.date(2025, 12, 1))
    declined = new_proposal(db_session, ops, title="Declined one")
    db_session.get(Proposal, declined).status = ProposalStatus.DECLINED  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="a declined proposal cannot be approved"):
        approve_proposal(db_session=db_session, actor=actor, proposal_id=declined, approved_on=APPROVED_ON)
    no_contact = new_proposal(db_session, ops, title="No contact")
    db_session.get(Proposal, no_contact).contact_id = None  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="no client contact"):
        approve_proposal(db_session=db_session, actor=actor, proposal_id=no_contact, approved_on=APPROVED_ON)
    assert count(db_session, Deliverable) == 3


def first_deliverable(session: Session) -> int:
    return session.scalars(select(Deliverable.id).order_by(Deliverable.id)).first() or 0


def move(session: Session, ops: Ops, deliverable_id: int, status: str, **kwargs: Any) -> Any:
    return update_deliverable_status(
        db_session=session,
        actor=ops.actor(ops.consultant),
        deliverable_id=deliverable_id,
        status=status,
        now=NOW,
        **kwargs,
    )


def test_deliverable_status_changes(db_session: Session, ops: Ops) -> None:
    approved(db_session, ops)
    item = first_deliverable(db_session)
    assert move(db_session, ops, item, "in-progress").completed_at is None
    done = move(db_session, ops, item, "completed", notes="Delivered personas document via email")
    assert (done.status, done.completed_at, done.notes) == (
        DeliverableStatus.COMPLETED,
        NOW,
        "Delivered personas document via email",
    )
    reopened = move(db_session, ops, item, "in-progress")
    assert (reopened.completed_at, reopened.notes) == (None, "Delivered personas document via email")
    earlier = NOW - dt.timedelta(days=2)
    assert move(db_session, ops, item, "completed", completed_at=earlier).completed_at == earlier
    row = db_session.get(Deliverable, item)
    assert row is not None
    assert (row.status, row.completed_at) == (DeliverableStatus.COMPLETED, earlier)
    actions = db_session.scalars(
        select(AuditLog.action)
        .where(AuditLog.entity_type == "deliverable", AuditLog.entity_id == str(item))
        .order_by(AuditLog.id)
    ).all()
    assert actions == ["create", "update_status", "update_status", "update_status", "update_status"]


def test_blocked_needs_a_note(db_session: Session, ops: Ops) -> None:
    approved(db_session, ops)
    item = first_deliverable(db_session)
    with pytest.raises(ValidationError, match="needs a note"):
        move(db_session, ops, item, "blocked", notes="  ")
    row = db_session.get(Deliverable, item)
    assert row is not None
    assert row.status is DeliverableStatus.PENDING
    blocked = move(db_session, ops, item, "blocked", notes="Waiting on the client's Azure admin")
    assert (blocked.status, blocked.notes) == (DeliverableStatus.BLOCKED, "Waiting on the client's Azure admin")


@pytest.mark.parametrize(
    ("first", "second", "kwargs", "message"),
    [
        ("completed", "pending", {}, "a completed deliverable cannot become pending"),
        ("in-progress", "done", {}, "unknown deliverable status 'done'"),
        ("in-progress", "completed", {"completed_at": NOW + dt.timedelta(hours=1)}, "in the future"),
        ("in-progress", "blocked", {"completed_at": NOW, "notes": "x"}, "only goes with the status completed"),
        ("in-progress", "completed", {"completed_at": dt.datetime(2025, 11, 1)}, "timezone-aware"),
    ],
)
def test_bad_status_changes_are_refused(
    db_session: Session, ops: Ops, first: str, second: str, kwargs: dict[str, Any], message: str
) -> None:
    approved(db_session, ops)
    item = first_deliverable(db_session)
    move(db_session, ops, item, first)
    with pytest.raises(ValidationError, match=message):
        move(db_session, ops, item, second, **kwargs)
    row = db_session.get(Deliverable, item)
    assert row is not None
    assert row.status.value == first


def test_mark_payment_paid(db_session: Session, ops: Ops) -> None:
    approved(db_session, ops)
    payment_id = db_session.scalars(select(Payment.id).order_by(Payment.id)).first()
    assert payment_id is not None
    actor = ops.actor(ops.consultant)
    with pytest.raises(ValidationError, match="timezone-aware"):
        mark_payment_paid(db_session=db_session, actor=actor, payment_id=payment_id, paid_at=dt.datetime(2025, 11, 6))
    paid = mark_payment_paid(
        db_session=db_session, actor=actor, payment_id=payment_id, paid_at=NOW, transaction_id="txn_1"
    )
    assert (paid.status, paid.paid_at, paid.transaction_id, paid.overdue) == (PaymentStatus.PAID, NOW, "txn_1", False)
    again = mark_payment_paid(
        db_session=db_session, actor=actor, payment_id=payment_id, paid_at=NOW, transaction_id="txn_1"
    )
    assert again == paid
    with pytest.raises(ConflictError, match="already paid"):
        mark_payment_paid(
            db_session=db_session, actor=actor, payment_id=payment_id, paid_at=NOW, transaction_id="txn_2"
        )
    assert db_session.scalars(
        select(AuditLog.action).where(AuditLog.entity_type == "payment", AuditLog.action == "mark_paid")
    ).all() == ["mark_paid"]


def test_scoping_of_engagement_writes(db_session: Session, ops: Ops, factory: Factory) -> None:
    proposal_id = approved(db_session, ops)
    item = first_deliverable(db_session)
    payment_id = db_session.scalars(select(Payment.id)).first()
    assert payment_id is not None
    stranger = ops.actor(ops.other_consultant)
    # A consultant owning another engagement on the same client still may not touch this one.
    factory.proposal(ops.client, ops.other_consultant, status=ProposalStatus.ACTIVE)
    for call in (
        lambda actor: approve_proposal(
            db_session=db_session, actor=actor, proposal_id=proposal_id, approved_on=APPROVED_ON
        ),
        lambda actor: update_deliverable_status(
            db_session=db_session, actor=actor, deliverable_id=item, status="in-progress", now=NOW
        ),
        lambda actor: mark_payment_paid(db_session=db_session, actor=actor, payment_id=payment_id, paid_at=NOW),
    ):
        with pytest.raises(AccessDeniedError, match="owned by another consultant"):
            call(stranger)
        with pytest.raises(NotFoundError):
            call(ops.outsider)
    with pytest.raises(AccessDeniedError, match="not in your portfolio"):
        upsert_company(
            db_session=db_session,
            actor=ops.actor(factory.user(ops.workspace, Role.CONSULTANT)),
            client_id=ops.client.id,
            name="x",
        )
    assert move(db_session, ops, item, "in-progress").status is DeliverableStatus.IN_PROGRESS
