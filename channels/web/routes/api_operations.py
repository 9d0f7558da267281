"""Seed 003's routes: deliverables, the portal hydration of an engagement, and payment status."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from channels.web.api_deps import AsOfDep, IdempotencyKeyDep, NowDep, id_path
from channels.web.deps import ActorDep, SessionDep
from channels.web.idempotency import run_once
from channels.web.schemas.errors import ERRORS
from channels.web.schemas.operations import (
    DeliverableBody,
    DeliverableList,
    DeliverableResult,
    DeliverableStatusBody,
    PaymentBody,
    PaymentResult,
    PortalResponse,
)
from domain.errors import NotFoundError
from domain.operations.deliverables import create_deliverable, list_deliverables
from domain.operations.delivery import mark_payment_paid, update_deliverable_status
from domain.operations.portal import portal_data
from domain.operations.scope import visible_payment

router = APIRouter(prefix="/api", tags=["seed 003: operations and portal"], responses=ERRORS)
DeliverableId = Annotated[int, id_path("deliverable")]
ProposalId = Annotated[int, id_path("proposal")]
PaymentId = Annotated[int, id_path("payment")]


@router.post("/deliverables", response_model=DeliverableResult, status_code=201, summary="Create deliverable")
def post_deliverable(
    body: DeliverableBody, session: SessionDep, actor: ActorDep, now: NowDep, key: IdempotencyKeyDep
) -> DeliverableResult:
    """What we are providing to a client contact, optionally tied to a proposal milestone."""
    return run_once(
        session,
        actor,
        "create_deliverable",
        key,
        DeliverableResult,
        lambda: DeliverableResult(
            deliverable=create_deliverable(db_session=session, actor=actor, deliverable=body.to_domain(), now=now)
        ),
    )


@router.get("/deliverables", response_model=DeliverableList, summary="Get deliverables for a client contact")
def get_deliverables(
    contact_id: Annotated[int, Query(alias="contactId", ge=1, le=2**31 - 1)],
    session: SessionDep,
    actor: ActorDep,
    as_of: AsOfDep,
) -> DeliverableList:
    rows = list_deliverables(db_session=session, actor=actor, contact_id=contact_id, as_of=as_of)
    return DeliverableList(deliverables=rows)


@router.put("/deliverables/{deliverable_id}", response_model=DeliverableResult, summary="Update deliverable status")
def put_deliverable(
    deliverable_id: DeliverableId, body: DeliverableStatusBody, session: SessionDep, actor: ActorDep, now: NowDep
) -> DeliverableResult:
    """pending -> in-progress -> completed; blocked needs notes saying why."""
    view = update_deliverable_status(
        db_session=session,
        actor=actor,
        deliverable_id=deliverable_id,
        status=body.status,
        now=now,
        notes=body.notes,
        completed_at=body.completed_at,
    )
    return DeliverableResult(deliverable=view)


@router.get("/proposals/{proposal_id}/portal", response_model=PortalResponse, summary="Get portal data (hydration)")
def get_portal(proposal_id: ProposalId, session: SessionDep, actor: ActorDep, as_of: AsOfDep) -> PortalResponse:
    """What the client portal shows: client, contract, deliverables, proposal, payments and overall status."""
    data = portal_data(db_session=session, actor=actor, proposal_id=proposal_id, as_of=as_of)
    return PortalResponse.model_validate({"portalData": data})


@router.put("/proposals/{proposal_id}/payments/{payment_id}", response_model=PaymentResult, summary="Update payment")
def put_payment(
    proposal_id: ProposalId, payment_id: PaymentId, body: PaymentBody, session: SessionDep, actor: ActorDep, now: NowDep
) -> PaymentResult:
    """Mark a payment paid; repeating it with the same transaction id is a no-op."""
    _payment, proposal = visible_payment(session, actor, payment_id)
    if proposal.id != proposal_id:
        raise NotFoundError(f"proposal {proposal_id} has no payment {payment_id}")
    view = mark_payment_paid(
        db_session=session,
        actor=actor,
        payment_id=payment_id,
        paid_at=body.paid_at or now,
        transaction_id=body.transaction_id,
    )
    return PaymentResult(payment=view)
