"""Delivery and money: seed 003 deliverables and payments, seed 002 milestones, subscription invoices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sqlalchemy import and_
from sqlalchemy.orm import Session, aliased

from domain.billing.models import Invoice
from domain.clients.models import Client, Contact
from domain.enums import DeliverableStatus, InvoiceStatus
from domain.onboarding.models import Milestone, MilestoneDefinition
from domain.operations.models import Deliverable, Payment, Proposal
from domain.timeline.rules import at_midnight
from domain.timeline.schemas import TimelineEntry, TimelineKind
from domain.timeline.sources.base import ClientRef, SourceScope, client_rows, label, make_entry, money


def deliverable_entries(session: Session, scope: SourceScope) -> Iterator[TimelineEntry]:
    """Created, completed (when completed_at is set) and blocked (as of its last update, with the note)."""
    rows = client_rows(
        session,
        scope,
        Deliverable,
        occurred=[Deliverable.created_at, Deliverable.completed_at, Deliverable.updated_at],
        changed=Deliverable.updated_at,
        extra=[Contact.name.label("contact_name")],
        via=(Contact, Contact.id == Deliverable.contact_id, Contact.client_id),
    )
    for row in rows:
        item: Deliverable = row.Deliverable
        client = ClientRef.of(row)
        details = {"status": item.status.value, "category": item.category, "contact_id": item.contact_id}
        due = f"Due {item.due_date.isoformat()}" if item.due_date else None
        events: list[tuple[TimelineKind, dt.datetime | None, str, str | None]] = [
            (TimelineKind.DELIVERABLE_CREATED, item.created_at, "created", item.description),
            (TimelineKind.DELIVERABLE_COMPLETED, item.completed_at, "completed", None),
            (
                TimelineKind.DELIVERABLE_BLOCKED,
                item.updated_at if item.status is DeliverableStatus.BLOCKED else None,
                "blocked",
                f"Blocked: {item.notes}" if item.notes else None,
            ),
        ]
        for kind, moment, verb, text in events:
            if moment is None:
                continue
            yield make_entry(
                kind,
                "deliverable",
                item.id,
                client,
                occurred_at=moment,
                title=f"Deliverable {verb}: {item.title}",
                body=[item.title, text, f"For {row.contact_name}", due, f"Status: {label(item.status).lower()}"],
                subtype=item.category,
                details=dict(details),
            )


def payment_entries(session: Session, scope: SourceScope) -> Iterator[TimelineEntry]:
    # An alias, so a consultant's scope (an EXISTS over proposals) is not correlated to this payment's proposal.
    proposal = aliased(Proposal)
    rows = client_rows(
        session,
        scope,
        Payment,
        occurred=[Payment.due_date, Payment.paid_at],
        changed=Payment.updated_at,
        extra=[proposal.title.label("proposal_title")],
        via=(proposal, proposal.id == Payment.proposal_id, proposal.client_id),
    )
    for row in rows:
        payment: Payment = row.Payment
        client, amount = ClientRef.of(row), money(payment.amount, payment.currency)
        details = {"amount": str(payment.amount), "currency": payment.currency, "status": payment.status.value}
        context = [payment.description, f"{amount} for {row.proposal_title}", f"Status: {payment.status.value}"]
        yield make_entry(
            TimelineKind.PAYMENT_DUE,
            "payment",
            payment.id,
            client,
            occurred_at=at_midnight(payment.due_date),
            title=f"Payment due: {payment.description} ({amount})",
            body=context,
            details=dict(details),
        )
        if payment.paid_at is not None:
            yield make_entry(
                TimelineKind.PAYMENT_PAID,
                "payment",
                payment.id,
                client,
                occurred_at=payment.paid_at,
                title=f"Payment received: {payment.description} ({amount})",
                body=[*context, f"Transaction {payment.transaction_id}" if payment.transaction_id else None],
                details=dict(details),
            )


def milestone_entries(session: Session, scope: SourceScope) -> Iterator[TimelineEntry]:
    definition_matches = and_(
        MilestoneDefinition.workspace_id == Client.workspace_id, MilestoneDefinition.key == Milestone.milestone_type
    )
    rows = client_rows(
        session,
        scope,
        Milestone,
        occurred=[Milestone.achieved_at],
        changed=Milestone.achieved_at,
        extra=[MilestoneDefinition.name.label("milestone_name")],
        outer=[(MilestoneDefinition, definition_matches)],
    )
    for row in rows:
        milestone: Milestone = row.Milestone
        name = row.milestone_name or label(milestone.milestone_type)
        yield make_entry(
            TimelineKind.MILESTONE,
            "milestone",
            milestone.id,
            ClientRef.of(row),
            occurred_at=milestone.achieved_at,
            title=f"Milestone achieved: {name}",
            body=[f"Milestone achieved: {name} ({milestone.milestone_type})"],
            details={"milestone_type": milestone.milestone_type, "celebrated": milestone.celebrated},
        )


def invoice_entries(session: Session, scope: SourceScope) -> Iterator[TimelineEntry]:
    """Issued, paid, and overdue the day after its due date if it is overdue now or was paid late."""
    rows = client_rows(
        session,
        scope,
        Invoice,
        occurred=[Invoice.issued_on, Invoice.due_date, Invoice.paid_on],
        changed=Invoice.updated_at,
    )
    for row in rows:
        invoice: Invoice = row.Invoice
        amount = money(invoice.amount, invoice.currency)
        late = invoice.status is InvoiceStatus.OVERDUE or (
            invoice.paid_on is not None and invoice.paid_on > invoice.due_date
        )
        events: list[tuple[TimelineKind, dt.date | None, str]] = [
            (TimelineKind.INVOICE_ISSUED, invoice.issued_on, f"due {invoice.due_date.isoformat()}"),
            (TimelineKind.INVOICE_PAID, invoice.paid_on, "paid"),
            (TimelineKind.INVOICE_OVERDUE, invoice.due_date + dt.timedelta(days=1) if late else None, "overdue"),
        ]
        for kind, day, state in events:
            if day is None:
                continue
            yield make_entry(
                kind,
                "invoice",
                invoice.id,
                ClientRef.of(row),
                occurred_at=at_midnight(day),
                title=f"Invoice {invoice.number} {kind.value.removeprefix('invoice_')}: {amount}",
                body=[f"Invoice {invoice.number} for {amount}, {state}", f"Status: {label(invoice.status).lower()}"],
                details={"number": invoice.number, "amount": str(invoice.amount), "status": invoice.status.value},
            )
