"""Work and money moving: a deliverable's status changes and a payment being paid (seed 003)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from domain.access import Actor
from domain.enums import DeliverableStatus, PaymentStatus
from domain.errors import ConflictError, ValidationError
from domain.operations import rules
from domain.operations.schemas import DeliverableView, PaymentView
from domain.operations.scope import audit, visible_deliverable, visible_payment
from domain.operations.views import deliverable_view, payment_view, snapshot


def update_deliverable_status(
    *,
    db_session: Session,
    actor: Actor,
    deliverable_id: int,
    status: DeliverableStatus | str,
    now: dt.datetime,
    notes: str | None = None,
    completed_at: dt.datetime | None = None,
) -> DeliverableView:
    """Move a deliverable on: completed records when (default now); blocked needs a note saying why."""
    new = _status(status)
    note = (notes or "").strip() or None
    _check_times(now, completed_at, new)
    deliverable, _client = visible_deliverable(db_session, actor, deliverable_id)
    problem = rules.transition_problem(deliverable.status, new, note)
    if problem is not None:
        raise ValidationError(problem)
    before = snapshot(deliverable_view(deliverable))
    if new is DeliverableStatus.COMPLETED:
        # A repeated "completed" keeps the first completion time unless a time is given.
        deliverable.completed_at = completed_at or deliverable.completed_at or now
    else:
        deliverable.completed_at = None  # reopened or never finished
    deliverable.status = new
    deliverable.notes = note if note is not None else deliverable.notes
    db_session.flush()
    view = deliverable_view(deliverable, now.date())
    if snapshot(view) != before:
        audit(
            db_session,
            actor,
            action="update_status",
            entity_type="deliverable",
            entity_id=deliverable.id,
            before=before,
            after=snapshot(view),
        )
    return view


def _status(status: DeliverableStatus | str) -> DeliverableStatus:
    try:
        return DeliverableStatus(status)
    except ValueError:
        allowed = ", ".join(item.value for item in DeliverableStatus)
        raise ValidationError(f"unknown deliverable status {status!r}; use one of {allowed}") from None


def _check_times(now: dt.datetime, completed_at: dt.datetime | None, new: DeliverableStatus) -> None:
    if now.tzinfo is None or (completed_at is not None and completed_at.tzinfo is None):
        raise ValidationError("times must be timezone-aware")
    if completed_at is not None and new is not DeliverableStatus.COMPLETED:
        raise ValidationError("a completion time only goes with the status completed")
    if completed_at is not None and completed_at > now:
        raise ValidationError(f"the completion time {completed_at.isoformat()} is in the future")


def mark_payment_paid(
    *,
    db_session: Session,
    actor: Actor,
    payment_id: int,
    paid_at: dt.datetime,
    transaction_id: str | None = None,
) -> PaymentView:
    """Record that the client paid: when, and the payment processor's transaction id."""
    if paid_at.tzinfo is None:
        raise ValidationError("the payment time must be timezone-aware")
    transaction = (transaction_id or "").strip() or None
    if transaction is not None and len(transaction) > 100:
        raise ValidationError("the transaction id is too long (at most 100 characters)")
    payment, _proposal = visible_payment(db_session, actor, payment_id)
    if payment.status is PaymentStatus.PAID:
        if transaction in (None, payment.transaction_id):
            return payment_view(payment, paid_at.date())  # a retried call
        raise ConflictError(f"payment {payment_id} was already paid (transaction {payment.transaction_id})")
    before = snapshot(payment_view(payment))
    payment.status, payment.paid_at, payment.transaction_id = PaymentStatus.PAID, paid_at, transaction
    db_session.flush()
    view = payment_view(payment, paid_at.date())
    audit(
        db_session,
        actor,
        action="mark_paid",
        entity_type="payment",
        entity_id=payment.id,
        before=before,
        after=snapshot(view),
    )
    return view
