"""Pure rules of client operations: deliverable transitions, overdue boundaries, overall status."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from domain.enums import ContractStatus, DeliverableStatus, PaymentStatus, ProposalStatus
from domain.operations import rules

PENDING, IN_PROGRESS, COMPLETED, BLOCKED = (
    DeliverableStatus.PENDING,
    DeliverableStatus.IN_PROGRESS,
    DeliverableStatus.COMPLETED,
    DeliverableStatus.BLOCKED,
)
TODAY = dt.date(2025, 11, 20)


@pytest.mark.parametrize(
    ("current", "new", "allowed"),
    [
        (PENDING, IN_PROGRESS, True),
        (PENDING, COMPLETED, True),
        (IN_PROGRESS, COMPLETED, True),
        (IN_PROGRESS, PENDING, True),
        (BLOCKED, IN_PROGRESS, True),
        (BLOCKED, COMPLETED, True),
        (COMPLETED, IN_PROGRESS, True),  # reopened
        (COMPLETED, PENDING, False),
        (COMPLETED, BLOCKED, False),
        (COMPLETED, COMPLETED, True),  # the same status again is no move
    ],
)
def test_transitions(current: DeliverableStatus, new: DeliverableStatus, allowed: bool) -> None:
    problem = rules.transition_problem(current, new, "a note")
    assert (problem is None) is allowed
    if not allowed:
        assert f"a {current.value} deliverable cannot become {new.value}" in (problem or "")


@pytest.mark.parametrize("current", [PENDING, IN_PROGRESS, BLOCKED])
def test_blocked_needs_a_note(current: DeliverableStatus) -> None:
    assert (
        rules.transition_problem(current, BLOCKED, None) == "a blocked deliverable needs a note saying what blocks it"
    )
    assert rules.transition_problem(current, BLOCKED, "waiting on API keys") is None


def test_deliverable_overdue_only_after_the_due_day_and_until_completed() -> None:
    yesterday = TODAY - dt.timedelta(days=1)
    assert rules.deliverable_overdue(IN_PROGRESS, yesterday, TODAY)
    assert rules.deliverable_overdue(BLOCKED, yesterday, TODAY)
    assert not rules.deliverable_overdue(PENDING, TODAY, TODAY)
    assert not rules.deliverable_overdue(COMPLETED, yesterday, TODAY)
    assert not rules.deliverable_overdue(PENDING, None, TODAY)
    assert rules.days_overdue(TODAY - dt.timedelta(days=5), TODAY, True) == 5
    assert rules.days_overdue(TODAY - dt.timedelta(days=5), TODAY, False) == 0


def test_payment_overdue_and_what_the_portal_shows() -> None:
    yesterday = TODAY - dt.timedelta(days=1)
    assert rules.payment_overdue(PaymentStatus.PENDING, yesterday, TODAY)
    assert rules.payment_overdue(PaymentStatus.OVERDUE, yesterday, TODAY)
    assert not rules.payment_overdue(PaymentStatus.PENDING, TODAY, TODAY)
    assert not rules.payment_overdue(PaymentStatus.PAID, yesterday, TODAY)
    assert rules.shown_payment_status(PaymentStatus.PENDING, yesterday, TODAY) is PaymentStatus.OVERDUE
    assert rules.shown_payment_status(PaymentStatus.PENDING, TODAY, TODAY) is PaymentStatus.PENDING
    assert rules.shown_payment_status(PaymentStatus.PAID, yesterday, TODAY) is PaymentStatus.PAID


@pytest.mark.parametrize(
    ("statuses", "all_paid", "overall"),
    [
        ([], True, "pending"),
        ([PENDING, PENDING], False, "pending"),
        ([PENDING, IN_PROGRESS], False, "in-progress"),
        ([COMPLETED, PENDING], False, "in-progress"),
        ([COMPLETED, BLOCKED, IN_PROGRESS], False, "blocked"),
        ([COMPLETED, COMPLETED], False, "in-progress"),  # delivered, money still owed
        ([COMPLETED, COMPLETED], True, "completed"),
    ],
)
def test_overall_status(statuses: list[DeliverableStatus], all_paid: bool, overall: str) -> None:
    assert rules.overall_status(statuses, all_paid) == overall


def test_contract_status_prefers_the_contract_on_file() -> None:
    assert rules.contract_status(ContractStatus.COMPLETED, ProposalStatus.ACTIVE) == "completed"
    assert rules.contract_status(None, ProposalStatus.APPROVED) == "active"
    assert rules.contract_status(None, ProposalStatus.SENT) == "pending"


def test_json_amount() -> None:
    assert rules.json_amount(Decimal("500.00")) == 500
    assert isinstance(rules.json_amount(Decimal("500.00")), int)
    assert rules.json_amount(Decimal("512.50")) == 512.5
