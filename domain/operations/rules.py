"""Pure rules of client operations (seed 003): deliverable transitions, overdue, overall engagement status.

Overdue means past due: a deliverable is overdue from the day after its due date until it is completed;
a payment from the day after its due date until it is paid. Something due today is not overdue yet.

Deliverable statuses move pending -> in-progress -> completed, and any open status may become blocked
(with a note saying what blocks it) or completed directly. A completed deliverable may only be
reopened to in-progress, which clears its completion time.

Overall status of an engagement (seed 003's status.overall):
- "completed": every deliverable completed and every payment paid;
- "blocked": any deliverable blocked;
- "in-progress": any deliverable started or completed, or all completed with money still owed;
- "pending": nothing started yet (or nothing to deliver).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from domain.enums import ContractStatus, DeliverableStatus, PaymentStatus, ProposalStatus

PENDING, IN_PROGRESS, COMPLETED, BLOCKED = (
    DeliverableStatus.PENDING,
    DeliverableStatus.IN_PROGRESS,
    DeliverableStatus.COMPLETED,
    DeliverableStatus.BLOCKED,
)
ALLOWED_TRANSITIONS: dict[DeliverableStatus, frozenset[DeliverableStatus]] = {
    PENDING: frozenset({IN_PROGRESS, BLOCKED, COMPLETED}),
    IN_PROGRESS: frozenset({PENDING, BLOCKED, COMPLETED}),
    BLOCKED: frozenset({PENDING, IN_PROGRESS, COMPLETED}),
    COMPLETED: frozenset({IN_PROGRESS}),
}
# Proposals in these statuses are engagements: approved work that deliverables and payments hang off.
ENGAGED = frozenset({ProposalStatus.APPROVED, ProposalStatus.ACTIVE, ProposalStatus.COMPLETED})
APPROVABLE = frozenset({ProposalStatus.DRAFT, ProposalStatus.SENT})


def transition_problem(current: DeliverableStatus, new: DeliverableStatus, note: str | None) -> str | None:
    """Why a deliverable may not move from `current` to `new`, or None when it may."""
    if new is BLOCKED and not note:
        return "a blocked deliverable needs a note saying what blocks it"
    if new is current or new in ALLOWED_TRANSITIONS[current]:
        return None
    allowed = ", ".join(sorted(status.value for status in ALLOWED_TRANSITIONS[current]))
    return f"a {current.value} deliverable cannot become {new.value}; it can become {allowed}"


def deliverable_overdue(status: DeliverableStatus, due_date: dt.date | None, as_of: dt.date) -> bool:
    return due_date is not None and due_date < as_of and status is not COMPLETED


def payment_overdue(status: PaymentStatus, due_date: dt.date, as_of: dt.date) -> bool:
    return status is not PaymentStatus.PAID and due_date < as_of


def days_overdue(due_date: dt.date | None, as_of: dt.date, overdue: bool) -> int:
    return (as_of - due_date).days if overdue and due_date is not None else 0


def shown_payment_status(status: PaymentStatus, due_date: dt.date, as_of: dt.date) -> PaymentStatus:
    """What the client portal shows: an unpaid payment past its due date reads as overdue."""
    return PaymentStatus.OVERDUE if payment_overdue(status, due_date, as_of) else status


def overall_status(statuses: Iterable[DeliverableStatus], all_paid: bool) -> str:
    chosen = list(statuses)
    if chosen and all(status is COMPLETED for status in chosen):
        return "completed" if all_paid else "in-progress"
    if BLOCKED in chosen:
        return "blocked"
    if IN_PROGRESS in chosen or COMPLETED in chosen:
        return "in-progress"
    return "pending"


def contract_status(stored: ContractStatus | None, proposal: ProposalStatus) -> str:
    """The contract's own status when one is on file, else seed 003's rule: approved means active."""
    if stored is not None:
        return stored.value
    return ContractStatus.ACTIVE.value if proposal in ENGAGED else ContractStatus.PENDING.value


def json_amount(amount: Decimal) -> int | float:
    """Money as a JSON number, as the portal shows it: 500, or 512.5 when there are cents."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)
