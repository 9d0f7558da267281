"""Alert rules on what we owe the client and what the client owes us (seed 003 operations, seed 004 invoices).

Pure: each rule reads AlertInputs and its own parameters and returns the alerts that hold now.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.alerts.facts import (
    AlertCandidate,
    AlertInputs,
    OpenDeliverable,
    OpenPayment,
    days,
    in_days,
    money,
    number,
)
from domain.enums import AlertSeverity, AlertType, DeliverableStatus, PaymentStatus

T = AlertType
S = AlertSeverity
_UNPAID = (PaymentStatus.PENDING, PaymentStatus.OVERDUE)


def task_stalled(inputs: AlertInputs, params: Mapping[str, Any]) -> list[AlertCandidate] | None:
    limit = float(params["hours"])
    found = []
    for item in inputs.deliverables:
        if item.status is not DeliverableStatus.IN_PROGRESS:
            continue
        hours = inputs.hours_since(item.updated_at)
        if hours >= limit:
            found.append(
                _deliverable_alert(
                    T.TASK_STALLED,
                    S.MEDIUM,
                    inputs,
                    item,
                    f"{inputs.client_name}: “{item.title}” stalled for {hours / 24:.1f} days",
                    f"“{item.title}” has been in progress without an update since {item.updated_at:%Y-%m-%d %H:%M} "
                    f"UTC ({hours:.0f} hours); alerts fire after {number(limit)} hours.",
                    ("hours_since_update", f"{hours:.0f}", f">= {number(limit)}"),
                    "Ask the owner for a status update and either unblock the work or reset the due date.",
                )
            )
    return found


def deliverable_overdue(inputs: AlertInputs, params: Mapping[str, Any]) -> list[AlertCandidate] | None:
    grace = int(params["grace_days"])
    found = []
    for item in inputs.deliverables:
        if item.due_date is None or item.status is DeliverableStatus.COMPLETED:
            continue
        late = (inputs.as_of - item.due_date).days
        if late > grace:
            found.append(
                _deliverable_alert(
                    T.DELIVERABLE_OVERDUE,
                    S.MEDIUM,
                    inputs,
                    item,
                    f"{inputs.client_name}: “{item.title}” is {days(late)} overdue",
                    f"“{item.title}” was due on {item.due_date} and is {days(late)} late (status: {item.status}).",
                    ("days_overdue", str(late), f"> {grace}"),
                    "Tell the client the new delivery date before they ask, and say what is being done.",
                )
            )
    return found


def deliverable_blocked(inputs: AlertInputs, params: Mapping[str, Any]) -> list[AlertCandidate] | None:
    found = []
    for item in inputs.deliverables:
        if item.status is DeliverableStatus.BLOCKED:
            reason = (item.notes or "no reason noted").strip()
            found.append(
                _deliverable_alert(
                    T.DELIVERABLE_BLOCKED,
                    S.HIGH,
                    inputs,
                    item,
                    f"{inputs.client_name}: “{item.title}” is blocked",
                    f"“{item.title}” is blocked: {reason[:300]}. The client sees it as red in their portal.",
                    ("deliverable_status", str(item.status), "blocked"),
                    "Resolve the blocker or agree a workaround with the client, then update the deliverable.",
                )
            )
    return found


def _deliverable_alert(
    alert_type: AlertType,
    severity: AlertSeverity,
    inputs: AlertInputs,
    item: OpenDeliverable,
    title: str,
    description: str,
    trigger: tuple[str, str, str],
    action: str,
) -> AlertCandidate:
    metric, value, threshold = trigger
    return AlertCandidate(
        alert_type,
        severity,
        title,
        description,
        metric,
        value,
        threshold,
        action,
        subject_key=str(item.id),
        related_entity_type="deliverable",
        related_entity_id=str(item.id),
    )


def payment_due(inputs: AlertInputs, params: Mapping[str, Any]) -> list[AlertCandidate] | None:
    within = int(params["within_days"])
    found = []
    for item in inputs.payments:
        days_left = (item.due_date - inputs.as_of).days
        if item.status is PaymentStatus.PENDING and 0 <= days_left <= within:
            found.append(
                _payment_alert(
                    T.PAYMENT_DUE,
                    S.LOW,
                    inputs,
                    item,
                    f"{inputs.client_name}: {item.description} due {in_days(days_left)}",
                    f"{item.description} ({money(item.amount, item.currency)}) is due on {item.due_date}, "
                    f"{in_days(days_left)}; reminders start {days(within)} ahead.",
                    ("days_until_due", str(days_left), f"<= {within}"),
                    "Send a friendly reminder with the payment link.",
                )
            )
    return found


def payment_overdue(inputs: AlertInputs, params: Mapping[str, Any]) -> list[AlertCandidate] | None:
    grace = int(params["grace_days"])
    found = []
    for item in inputs.payments:
        late = (inputs.as_of - item.due_date).days
        if item.status in _UNPAID and late > grace:
            found.append(
                _payment_alert(
                    T.PAYMENT_OVERDUE,
                    S.HIGH,
                    inputs,
                    item,
                    f"{inputs.client_name}: {item.description} {days(late)} overdue",
                    f"{item.description} ({money(item.amount, item.currency)}) was due on {item.due_date} and is "
                    f"{days(late)} late.",
                    ("days_overdue", str(late), f"> {grace}"),
                    "Contact the billing contact, confirm the invoice arrived and agree a payment date.",
                )
            )
    return found


def _payment_alert(
    alert_type: AlertType,
    severity: AlertSeverity,
    inputs: AlertInputs,
    item: OpenPayment,
    title: str,
    description: str,
    trigger: tuple[str, str, str],
    action: str,
) -> AlertCandidate:
    metric, value, threshold = trigger
    return AlertCandidate(
        alert_type,
        severity,
        title,
        description,
        metric,
        value,
        threshold,
        action,
        subject_key=str(item.id),
        related_entity_type="payment",
        related_entity_id=str(item.id),
    )


def payment_issue(inputs: AlertInputs, params: Mapping[str, Any]) -> list[AlertCandidate] | None:
    grace = int(params["grace_days"])
    found = []
    for invoice in inputs.unpaid_invoices:
        late = (inputs.as_of - invoice.due_date).days
        if late > grace:
            found.append(
                AlertCandidate(
                    T.PAYMENT_ISSUE,
                    S.HIGH,
                    f"{inputs.client_name}: invoice {invoice.number} {days(late)} overdue",
                    f"Invoice {invoice.number} ({money(invoice.amount, invoice.currency)}) was due on "
                    f"{invoice.due_date} and is unpaid {days(late)} later.",
                    "invoice_days_overdue",
                    str(late),
                    f"> {grace}",
                    "Check with finance whether there is a dispute, then raise it with the billing contact.",
                    subject_key=invoice.number,
                    related_entity_type="invoice",
                    related_entity_id=invoice.number,
                )
            )
    return found
