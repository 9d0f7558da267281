"""Seed 003's contact-first flow: confirm the company (and its contract), create the proposal, approve it.

Everything is scoped to the actor's tenant (seed 003's companyHQId). Approval turns the plan into
work: one deliverable per milestone for the proposal's contact, and the payment schedule's rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

import pydantic
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import Actor, get_visible_client
from domain.clients.models import Client, Contact
from domain.enums import ContractStatus, Role
from domain.errors import ConflictError, NotFoundError, ValidationError
from domain.operations.models import Company, Contract, Proposal
from domain.operations.schemas import CompanyView, MilestoneIn, PaymentIn, PhaseIn, ProposalView
from domain.operations.scope import audit
from domain.operations.views import company_view, contract_view, proposal_view, snapshot
from domain.staff.models import User

InputT = TypeVar("InputT", bound=pydantic.BaseModel)


def upsert_company(
    *,
    db_session: Session,
    actor: Actor,
    client_id: int,
    name: str,
    contract_reference: str | None = None,
) -> CompanyView:
    """Confirm the client's company (one per client) and, with a reference, link its contract."""
    client = get_visible_client(db_session, actor, client_id)
    clean = _text(name, "the company name", 200)
    reference = _text(contract_reference, "the contract reference", 64) if contract_reference is not None else None
    clash = db_session.scalar(
        select(Company.client_id).where(
            Company.workspace_id == client.workspace_id, Company.name == clean, Company.client_id != client.id
        )
    )
    if clash is not None:
        raise ConflictError(f"another client already has a company called {clean!r}")
    company = db_session.scalar(select(Company).where(Company.client_id == client.id))
    before = None if company is None else snapshot(company_view(company, None))
    if company is None:
        company = Company(workspace_id=client.workspace_id, client_id=client.id, name=clean)
        db_session.add(company)
    company.name = clean
    contract = _link_contract(db_session, actor, company, reference) if reference else _contract(db_session, company)
    db_session.flush()
    view = company_view(company, contract)
    if before != snapshot(company_view(company, None)):
        audit(
            db_session,
            actor,
            action="create" if before is None else "update",
            entity_type="company",
            entity_id=company.id,
            before=before,
            after=snapshot(company_view(company, None)),
        )
    return view


def _contract(db_session: Session, company: Company) -> Contract | None:
    if company.contract_id is None:
        return None
    return db_session.scalar(
        select(Contract).where(Contract.workspace_id == company.workspace_id, Contract.reference == company.contract_id)
    )


def _link_contract(db_session: Session, actor: Actor, company: Company, reference: str) -> Contract:
    """seed 003: "Contract signed -> Company.contractId set"; the contract row stays pending until approval."""
    db_session.flush()  # a new company needs its id
    contract = db_session.scalar(
        select(Contract).where(Contract.workspace_id == company.workspace_id, Contract.reference == reference)
    )
    if contract is not None and contract.company_id != company.id:
        raise ConflictError(f"the contract {reference!r} belongs to another company")
    if contract is None:
        contract = Contract(workspace_id=company.workspace_id, company_id=company.id, reference=reference)
        db_session.add(contract)
        db_session.flush()
        audit(
            db_session,
            actor,
            action="create",
            entity_type="contract",
            entity_id=contract.id,
            before=None,
            after=contract_view(contract).model_dump(mode="json"),
        )
    company.contract_id = reference
    return contract


def create_proposal(
    *,
    db_session: Session,
    actor: Actor,
    client_id: int,
    contact_id: int,
    title: str,
    purpose: str | None = None,
    phases: Iterable[Mapping[str, Any] | PhaseIn] = (),
    milestones: Iterable[Mapping[str, Any] | MilestoneIn] = (),
    payment_schedule: Iterable[Mapping[str, Any] | PaymentIn] = (),
    consultant_id: int | None = None,
) -> ProposalView:
    """Create a draft proposal for a client contact: phases, milestones {id,name,due_date}, payment schedule."""
    client = get_visible_client(db_session, actor, client_id)
    contact = _contact(db_session, client, contact_id)
    owner = _consultant(db_session, actor, consultant_id)
    company = db_session.scalar(select(Company).where(Company.client_id == client.id))
    if company is None:  # contact-first: the contact's company is confirmed on the way
        upsert_company(db_session=db_session, actor=actor, client_id=client.id, name=client.name)
        company = db_session.scalar(select(Company).where(Company.client_id == client.id))
    assert company is not None
    proposal = Proposal(
        workspace_id=client.workspace_id,
        company_id=company.id,
        client_id=client.id,
        contact_id=contact.id,
        consultant_id=owner,
        title=_text(title, "the proposal title", 300),
        purpose=(purpose or "").strip() or None,
        phases=_phases(phases),
        milestones=_milestones(milestones),
        payment_schedule=[_payment_json(item) for item in _parse(PaymentIn, payment_schedule, "payment")],
    )
    db_session.add(proposal)
    db_session.flush()
    view = proposal_view(proposal)
    audit(
        db_session,
        actor,
        action="create",
        entity_type="proposal",
        entity_id=proposal.id,
        before=None,
        after=snapshot(view),
    )
    return view


def _contact(db_session: Session, client: Client, contact_id: int) -> Contact:
    contact = db_session.scalar(select(Contact).where(Contact.id == contact_id, Contact.client_id == client.id))
    if contact is None:
        raise NotFoundError(f"{client.name} has no contact with id {contact_id}")
    return contact


def _consultant(db_session: Session, actor: Actor, consultant_id: int | None) -> int | None:
    """The engagement's owner: the given staff user of the tenant, else the consultant creating it."""
    if consultant_id is None:
        return actor.user_id if actor.role is Role.CONSULTANT else None
    user = db_session.get(User, consultant_id)
    if user is None or user.workspace_id != actor.workspace_id or not user.is_active:
        raise NotFoundError(f"no active staff user with id {consultant_id}")
    return user.id


def _parse(model: type[InputT], items: Iterable[Mapping[str, Any] | pydantic.BaseModel], what: str) -> list[InputT]:
    parsed = []
    for number, item in enumerate(items, start=1):
        raw = item.model_dump() if isinstance(item, pydantic.BaseModel) else item
        try:
            parsed.append(model.model_validate(raw))
        except pydantic.ValidationError as error:
            problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'value'}: {e['msg']}" for e in error.errors())
            raise ValidationError(f"{what} {number}: {problems}") from None
    return parsed


def _phases(items: Iterable[Mapping[str, Any] | PhaseIn]) -> list[dict[str, Any]]:
    phases = _parse(PhaseIn, items, "phase")
    return [
        {**phase.model_dump(mode="json", exclude_none=True), "id": phase.id or f"phase-{number}"}
        for number, phase in enumerate(phases, start=1)
    ]


def _milestones(items: Iterable[Mapping[str, Any] | MilestoneIn]) -> list[dict[str, Any]]:
    milestones = _parse(MilestoneIn, items, "milestone")
    stored = [
        {**item.model_dump(mode="json", exclude_none=True), "id": item.id or f"milestone-{number}"}
        for number, item in enumerate(milestones, start=1)
    ]
    ids = [item["id"] for item in stored]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValidationError(f"milestone ids must be unique; repeated: {', '.join(duplicates)}")
    return stored


def _payment_json(item: PaymentIn) -> dict[str, Any]:
    # Amounts as strings: JSON numbers would round-trip through float and lose cents.
    return {**item.model_dump(mode="json"), "amount": str(item.amount)}


def _text(value: str | None, what: str, max_length: int) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(f"{what} is required")
    if len(text) > max_length:
        raise ValidationError(f"{what} is too long ({len(text)} characters; at most {max_length})")
    return text


def activate_contract(db_session: Session, actor: Actor, company: Company, signed_on: dt.date) -> None:
    """An approved proposal means a signed contract: a pending contract on file becomes active."""
    contract = _contract(db_session, company)
    if contract is None or contract.status is not ContractStatus.PENDING:
        return
    before = contract_view(contract).model_dump(mode="json")
    contract.status, contract.signed_on = ContractStatus.ACTIVE, contract.signed_on or signed_on
    db_session.flush()
    audit(
        db_session,
        actor,
        action="update",
        entity_type="contract",
        entity_id=contract.id,
        before=before,
        after=contract_view(contract).model_dump(mode="json"),
    )
