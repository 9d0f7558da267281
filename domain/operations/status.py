"""Where engagements stand (seed 003's status): per client for people, per workspace for the alerts engine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from domain.access import Actor, get_visible_client
from domain.clients.models import Client, Contact
from domain.enums import DeliverableStatus, PaymentStatus, Role
from domain.operations import rules
from domain.operations.models import Deliverable, Payment, Proposal
from domain.operations.schemas import (
    EngagementStatus,
    NextMilestone,
    OverdueDeliverable,
    OverdueItems,
    OverduePayment,
)
from domain.operations.views import deliverable_view, payment_view


def by_due_date(rows: Sequence[Deliverable]) -> list[Deliverable]:
    """Earliest due first, undated last, then by id so the order is stable."""
    return sorted(rows, key=lambda row: (row.due_date is None, row.due_date or dt.date.min, row.id))


def next_open_deliverable(rows: Sequence[Deliverable]) -> Deliverable | None:
    return next((row for row in by_due_date(rows) if row.status is not DeliverableStatus.COMPLETED), None)


def next_unpaid(rows: Sequence[Payment]) -> Payment | None:
    unpaid = [row for row in rows if row.status is not PaymentStatus.PAID]
    return min(unpaid, key=lambda row: (row.due_date, row.id), default=None)


def milestone_name(proposal: Proposal | None, deliverable: Deliverable) -> str:
    """The milestone's own name from the proposal plan, else the deliverable's title."""
    for milestone in (proposal.milestones or []) if proposal else []:
        if milestone.get("id") == deliverable.milestone_id:
            return str(milestone.get("name") or deliverable.title)
    return deliverable.title


def engagement_status(*, db_session: Session, actor: Actor, client_id: int, as_of: dt.date) -> EngagementStatus:
    """Show a client's deliverables and payments with overdue flags, progress, what is next and what is blocked."""
    client = get_visible_client(db_session, actor, client_id)
    proposals = _engagements(db_session, actor, client.id)
    ids = [proposal.id for proposal in proposals]
    deliverables, payments = _work_and_money(db_session, client.id, ids)
    delivered = [deliverable_view(row, as_of) for row in deliverables]
    billed = [payment_view(row, as_of) for row in payments]
    upcoming, unpaid = next_open_deliverable(deliverables), next_unpaid(payments)
    return EngagementStatus(
        client_id=client.id,
        client_name=client.name,
        as_of=as_of,
        proposal_ids=ids,
        overall=rules.overall_status(
            (row.status for row in deliverables), all(p.status is PaymentStatus.PAID for p in payments)
        ),
        deliverables=delivered,
        payments=billed,
        completed_deliverables=sum(1 for row in deliverables if row.status is DeliverableStatus.COMPLETED),
        total_deliverables=len(deliverables),
        next_milestone=_next_milestone(upcoming, {p.id: p for p in proposals}),
        next_payment=payment_view(unpaid, as_of) if unpaid else None,
        blocked=[view for view in delivered if view.status is DeliverableStatus.BLOCKED],
        overdue_deliverables=sum(1 for view in delivered if view.overdue),
        overdue_payments=sum(1 for view in billed if view.overdue),
        source_ids={
            "proposals": ids,
            "deliverables": [row.id for row in deliverables],
            "payments": [row.id for row in payments],
        },
    )


def _work_and_money(
    db_session: Session, client_id: int, proposal_ids: list[int]
) -> tuple[list[Deliverable], list[Payment]]:
    """The engagements' deliverables (plus any of the client's contacts not tied to a proposal) and payments."""
    loose = and_(Deliverable.proposal_id.is_(None), Contact.client_id == client_id)
    deliverables = db_session.scalars(
        select(Deliverable)
        .join(Contact, Contact.id == Deliverable.contact_id)
        .where(or_(Deliverable.proposal_id.in_(proposal_ids), loose))
    ).all()
    payments = db_session.scalars(select(Payment).where(Payment.proposal_id.in_(proposal_ids))).all()
    return by_due_date(deliverables), sorted(payments, key=lambda row: (row.due_date, row.id))


def _engagements(db_session: Session, actor: Actor, client_id: int) -> list[Proposal]:
    """The client's approved engagements; a consultant sees only their own."""
    query = select(Proposal).where(Proposal.client_id == client_id, Proposal.status.in_(sorted(rules.ENGAGED)))
    if actor.role is Role.CONSULTANT:
        query = query.where(Proposal.consultant_id == actor.user_id)
    return list(db_session.scalars(query.order_by(Proposal.id)))


def _next_milestone(upcoming: Deliverable | None, proposals: dict[int, Proposal]) -> NextMilestone | None:
    if upcoming is None or upcoming.proposal_id is None:
        return None
    return NextMilestone(
        proposal_id=upcoming.proposal_id,
        milestone_id=upcoming.milestone_id,
        deliverable_id=upcoming.id,
        name=milestone_name(proposals.get(upcoming.proposal_id), upcoming),
        due_date=upcoming.due_date,
    )


def overdue_items(*, db_session: Session, workspace_id: int, as_of: dt.date) -> OverdueItems:
    """List a workspace's overdue deliverables (past due, not completed) and payments (past due, unpaid)."""
    return OverdueItems(
        workspace_id=workspace_id,
        as_of=as_of,
        deliverables=_overdue_deliverables(db_session, workspace_id, as_of),
        payments=_overdue_payments(db_session, workspace_id, as_of),
    )


def _overdue_deliverables(db_session: Session, workspace_id: int, as_of: dt.date) -> list[OverdueDeliverable]:
    rows = db_session.execute(
        select(Deliverable, Client.id, Client.name)
        .join(Contact, Contact.id == Deliverable.contact_id)
        .join(Client, Client.id == Contact.client_id)
        .where(
            Client.workspace_id == workspace_id,
            Deliverable.status != DeliverableStatus.COMPLETED,
            Deliverable.due_date < as_of,
        )
        .order_by(Deliverable.due_date, Deliverable.id)
    )
    return [
        OverdueDeliverable(
            deliverable_id=row.id,
            client_id=client_id,
            client_name=name,
            proposal_id=row.proposal_id,
            title=row.title,
            status=row.status,
            due_date=row.due_date,
            days_overdue=(as_of - row.due_date).days,
        )
        for row, client_id, name in rows
    ]


def _overdue_payments(db_session: Session, workspace_id: int, as_of: dt.date) -> list[OverduePayment]:
    rows = db_session.execute(
        select(Payment, Client.id, Client.name)
        .join(Proposal, Proposal.id == Payment.proposal_id)
        .join(Client, Client.id == Proposal.client_id)
        .where(Client.workspace_id == workspace_id, Payment.status != PaymentStatus.PAID, Payment.due_date < as_of)
        .order_by(Payment.due_date, Payment.id)
    )
    return [
        OverduePayment(
            payment_id=row.id,
            client_id=client_id,
            client_name=name,
            proposal_id=row.proposal_id,
            description=row.description,
            amount=row.amount,
            currency=row.currency,
            due_date=row.due_date,
            days_overdue=(as_of - row.due_date).days,
        )
        for row, client_id, name in rows
    ]
