"""A consultant's briefing items: deliverables due or blocked, payments due or overdue, outcome tracking."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from agent.briefing.models import BriefingItem, ItemKind
from agent.briefing.window import Window
from domain.access import scoped_clients
from domain.clients.models import Client
from domain.enums import DeliverableStatus, PaymentStatus
from domain.operations.schemas import DeliverableView, EngagementStatus, PaymentView
from domain.operations.status import engagement_status
from domain.success.reads import get_success_data
from domain.success.rules import OutcomeStatus, plain_number, success_layer_refusal, week_start
from domain.success.schemas import ProgressView

DELIVERABLE_SOON_DAYS = 3
PAYMENT_SOON_DAYS = 7


def engagement_items(session: Session, window: Window) -> list[BriefingItem]:
    """Deliverables, payments, this week's outcome entry and target progress, for each engagement the actor sees."""
    clients = session.scalars(scoped_clients(window.actor).order_by(Client.name)).all()
    items: list[BriefingItem] = []
    for client in clients:
        status = engagement_status(db_session=session, actor=window.actor, client_id=client.id, as_of=window.as_of)
        items.extend(_deliverable_item(status, row, window.as_of) for row in status.deliverables if _due(row, window))
        items.extend(_payment_item(status, row, window.as_of) for row in status.payments if _owed(row, window))
        if success_layer_refusal(client.name, client.lifecycle_status) is None:
            items.extend(_outcome_items(session, window, client))
    return items


def _due(row: DeliverableView, window: Window) -> bool:
    if row.status is DeliverableStatus.COMPLETED:
        return False
    soon = window.as_of + dt.timedelta(days=DELIVERABLE_SOON_DAYS)
    return row.status is DeliverableStatus.BLOCKED or (row.due_date is not None and row.due_date <= soon)


def _deliverable_item(status: EngagementStatus, row: DeliverableView, as_of: dt.date) -> BriefingItem:
    if row.status is DeliverableStatus.BLOCKED:
        priority, headline = 1, f"Deliverable blocked: {row.title}. {_reason(row.notes)}"
        action = "Agree the unblocking step with the client contact today."
    elif row.overdue:
        priority, headline = 2, f"Deliverable overdue by {row.days_overdue} days: {row.title}."
        action = "Deliver it or agree a new date with the client, and update its status."
    else:
        assert row.due_date is not None  # _due keeps dated ones only, besides blocked
        priority, headline = 3, f"Deliverable due {_when(row.due_date, as_of)}: {row.title}."
        action = "Check it is on track; flag it now if it will slip."
    return BriefingItem(
        kind=ItemKind.DELIVERABLE,
        client_id=status.client_id,
        client_name=status.client_name,
        priority=priority,
        weight=row.days_overdue,
        headline=headline.replace("..", "."),
        action=action,
        facts={"status": row.status.value, "due_date": row.due_date.isoformat() if row.due_date else None,
               "days_overdue": row.days_overdue},
        source_ids={"deliverables": [row.id]},
    )  # fmt: skip


def _owed(row: PaymentView, window: Window) -> bool:
    soon = window.as_of + dt.timedelta(days=PAYMENT_SOON_DAYS)
    return row.status is not PaymentStatus.PAID and (row.overdue or row.due_date <= soon)


def _payment_item(status: EngagementStatus, row: PaymentView, as_of: dt.date) -> BriefingItem:
    amount = f"{row.currency} {float(row.amount):,.2f}"
    if row.overdue:
        priority, headline = 2, f"Payment overdue by {row.days_overdue} days: {row.description}, {amount}."
        action = "Send a friendly reminder with the invoice attached."
    else:
        priority, headline = 3, f"Payment due {_when(row.due_date, as_of)}: {row.description}, {amount}."
        action = "Check the invoice went out and the client has it."
    return BriefingItem(
        kind=ItemKind.PAYMENT,
        client_id=status.client_id,
        client_name=status.client_name,
        priority=priority,
        weight=float(row.amount) / 1000,
        headline=headline,
        action=action,
        facts={"amount": float(row.amount), "currency": row.currency, "due_date": row.due_date.isoformat(),
               "days_overdue": row.days_overdue},
        source_ids={"payments": [row.id]},
    )  # fmt: skip


def _outcome_items(session: Session, window: Window, client: Client) -> list[BriefingItem]:
    data = get_success_data(db_session=session, actor=window.actor, client_id=client.id, as_of=window.as_of)
    if data.target is None or data.progress is None:
        return []
    # Without a measurement there is no progress to report; the missing entry below says what to do.
    items = [] if data.progress.status is OutcomeStatus.NO_DATA else [_progress_item(client, data.progress)]
    monday = week_start(window.as_of)
    if not any(entry.week_start == monday for entry in data.outcome_entries):
        items.append(
            BriefingItem(
                kind=ItemKind.OUTCOME_MISSING,
                client_id=client.id,
                client_name=client.name,
                priority=3,
                headline=f"No {data.progress.metric} entry yet for the week of {monday.isoformat()}.",
                action=f"Add this week's {data.progress.metric} value ({data.progress.unit}).",
                facts={"week_start": monday.isoformat(), "metric": data.progress.metric},
                source_ids={"result_targets": [data.progress.target_id]},
            )
        )
    return items


def _progress_item(client: Client, progress: ProgressView) -> BriefingItem:
    priority = {OutcomeStatus.AT_RISK: 2, OutcomeStatus.ACHIEVED: 4}.get(progress.status, 5)
    done = "no measurement yet" if progress.progress is None else f"{progress.progress * 100:.0f}% of the way"
    latest = "none" if progress.latest_value is None else plain_number(progress.latest_value)
    action = {
        OutcomeStatus.AT_RISK: "Log an intervention or agree a revised plan with the client.",
        OutcomeStatus.ACHIEVED: "Celebrate the result with the client and draft a proof post.",
    }.get(progress.status, "Keep the weekly measurements coming.")
    return BriefingItem(
        kind=ItemKind.TARGET_PROGRESS,
        client_id=client.id,
        client_name=client.name,
        priority=priority,
        headline=(
            f"{progress.metric}: {done} to the target ({plain_number(progress.baseline_value)} to "
            f"{plain_number(progress.target_value)} {progress.unit}, latest {latest}; "
            f"{progress.expected_progress * 100:.0f}% of the time has passed), {progress.status.value}."
        ),
        action=action,
        facts={"progress": progress.progress, "expected_progress": progress.expected_progress,
               "baseline": float(progress.baseline_value), "target": float(progress.target_value),
               "latest": None if progress.latest_value is None else float(progress.latest_value),
               "status": progress.status.value},
        source_ids={"result_targets": [progress.target_id]},
    )  # fmt: skip


def _reason(notes: str | None) -> str:
    text = (notes or "No reason noted.").strip().removeprefix("Blocked:").strip() or "No reason noted."
    text = text[0].upper() + text[1:]
    return text if text.endswith(".") else f"{text}."


def _when(day: dt.date, as_of: dt.date) -> str:
    days = (day - as_of).days
    return "today" if days == 0 else f"in {days} day{'s' if days > 1 else ''} ({day.isoformat()})"
