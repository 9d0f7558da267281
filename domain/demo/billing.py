"""Quarterly subscription invoices: paid on time mostly, the latest sometimes open or overdue."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from domain.demo.clock import days_before, stamps, utc_at
from domain.demo.plan import ClientPlan
from domain.enums import InvoiceStatus

QUARTER_DAYS = 91
PAYMENT_TERMS_DAYS = 30
INVOICES_BACK = 4  # a year of quarterly invoices


def invoice_rows(plan: ClientPlan, client_id: int, rng: random.Random, as_of: dt.date) -> list[dict[str, Any]]:
    """A year of quarterly invoices (fewer for new clients); a story's overdue one is the latest."""
    amount = (plan.arr / 4).quantize(Decimal("0.01"))
    latest = _latest_issue(plan, as_of)
    issues = [latest - dt.timedelta(days=QUARTER_DAYS * k) for k in range(INVOICES_BACK)]
    issues = sorted(day for day in issues if day >= plan.contract_start)
    rows = []
    for issued in issues:
        due = issued + dt.timedelta(days=PAYMENT_TERMS_DAYS)
        status, paid_on = _settlement(plan, issued, due, issued == latest, rng, as_of)
        rows.append(
            {
                "client_id": client_id,
                "number": f"INV-{plan.index + 1:05d}-{issued:%Y%m%d}",
                "amount": amount,
                "currency": "USD",
                "issued_on": issued,
                "due_date": due,
                "status": status,
                "paid_on": paid_on,
                **stamps(utc_at(issued, 8)),
            }
        )
    return rows


def _latest_issue(plan: ClientPlan, as_of: dt.date) -> dt.date:
    """Invoices go out each quarter of the contract term; an overdue story pins the latest one's due date."""
    if plan.overdue_invoice_days is not None:
        return days_before(as_of, plan.overdue_invoice_days + PAYMENT_TERMS_DAYS)
    term_start = plan.renewal - dt.timedelta(days=365)
    quarters = max(0, (as_of - term_start).days // QUARTER_DAYS)
    return max(plan.contract_start, term_start + dt.timedelta(days=QUARTER_DAYS * quarters))


def _settlement(
    plan: ClientPlan, issued: dt.date, due: dt.date, is_latest: bool, rng: random.Random, as_of: dt.date
) -> tuple[InvoiceStatus, dt.date | None]:
    if is_latest and plan.overdue_invoice_days is not None:
        return InvoiceStatus.OVERDUE, None
    slack_days = -2 if plan.archetype.key == "healthy" else 10  # accounts in trouble tend to pay late
    paid_on = issued + dt.timedelta(days=rng.randint(5, PAYMENT_TERMS_DAYS + slack_days))
    if paid_on > as_of:
        return (InvoiceStatus.OPEN, None) if due >= as_of else (InvoiceStatus.OVERDUE, None)
    return InvoiceStatus.PAID, paid_on
