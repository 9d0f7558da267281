"""`csagent outcomes CLIENT` and `csagent portal CLIENT`: printed views of seed 000 outcomes and seed 003 portal."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy import select

from channels.cli.context import actor_from_email, parse_as_of, unit_of_work
from channels.cli.output import console, print_json
from domain.clients.lookup import find_client
from domain.errors import NotFoundError
from domain.operations.models import Proposal
from domain.operations.portal import portal_data
from domain.operations.summary import proposal_summary
from domain.success.reads import get_success_data

AsOption = typer.Option(..., "--as", help="Email of the staff user asking.")
AsOfOption = typer.Option(None, "--as-of", help="Date (default today, UTC).")
JsonOption = typer.Option(False, "--json", help="Print JSON for scripts.")


def outcomes(
    client: str = typer.Argument(..., help="Client name or id."),
    as_email: str = AsOption,
    as_of: str | None = AsOfOption,
    as_json: bool = JsonOption,
) -> None:
    """The client success layer: result target, baseline, interventions, weekly outcomes, risks, feedback."""
    day = parse_as_of(as_of)
    with unit_of_work() as session:
        actor = actor_from_email(session, as_email)
        data = get_success_data(
            db_session=session, actor=actor, client_id=find_client(session, actor, client).id, as_of=day
        )
    if as_json:
        print_json(data)
        return
    console.print(f"[bold]{data.client_name}[/] ({data.lifecycle_status.value}) as of {data.as_of}")
    if data.target:
        t = data.target
        console.print(
            f"target: {t.metric} {t.current_value.normalize():f} -> {t.target_value.normalize():f} {t.unit} "
            f"by {t.target_date} ({t.direction.value})"
        )
    p = data.progress
    if p is not None and p.latest_value is not None and p.baseline_value is not None:
        console.print(
            f"progress: {p.baseline_value.normalize():f} -> {p.latest_value.normalize():f} {p.unit}, "
            f"{(p.progress or 0) * 100:.0f}% of the way ({p.status.value})"
        )
    table = Table("Week", "Value", title="weekly outcomes")
    for entry in data.outcome_entries:
        table.add_row(str(entry.week_start), f"{entry.value.normalize():f} {entry.unit}")
    console.print(table)
    for item in data.interventions:
        console.print(f"- {item.occurred_on} {item.kind.value}: {item.title}")
    for risk in data.risks:
        state = f"resolved: {risk.resolution}" if risk.resolved_at else "open"
        console.print(escape(f"- risk #{risk.id} ({risk.severity}) {risk.description} [{state}]"))
    for feedback in data.feedback:
        console.print(f'- feedback {feedback.received_on}: "{feedback.response}"')


def portal(
    client: str = typer.Argument(..., help="Client name or id."),
    as_email: str = AsOption,
    as_of: str | None = AsOfOption,
    as_json: bool = JsonOption,
) -> None:
    """The client portal for the client's latest engagement, hydrated exactly as seed 003 describes it."""
    day = parse_as_of(as_of)
    with unit_of_work() as session:
        actor = actor_from_email(session, as_email)
        target = find_client(session, actor, client)
        proposal_id = session.scalar(
            select(Proposal.id).where(Proposal.client_id == target.id).order_by(Proposal.id.desc()).limit(1)
        )
        if proposal_id is None:
            raise NotFoundError(f"{target.name} has no engagement (proposal)")
        data = portal_data(db_session=session, actor=actor, proposal_id=proposal_id, as_of=day)
        summary = proposal_summary(db_session=session, actor=actor, proposal_id=proposal_id, as_of=day)
    if as_json:
        print(json.dumps({"success": True, "portalData": data}, default=str, indent=2))
        return
    _print_portal(data, summary.framing, day)


def _print_portal(data: dict[str, Any], framing: str, day: dt.date) -> None:
    client, status = data["client"], data["status"]
    console.print(f"[bold]{client['company']}[/] portal as of {day}: {framing}")
    console.print(
        f"{status['completedDeliverables']} of {status['totalDeliverables']} deliverables completed; "
        f"next milestone: {status.get('nextMilestone') or 'none'}"
    )
    deliverables = Table("Deliverable", "Status", "Due", "Completed", title="what we're providing")
    for item in data["deliverables"]:
        deliverables.add_row(
            item["title"], item["status"], str(item.get("dueDate") or ""), str(item.get("completedAt") or "")
        )
    console.print(deliverables)
    payments = Table("Payment", "Amount", "Due", "Status", title="payments")
    for item in data["payments"]:
        payments.add_row(str(item.get("description", "")), str(item["amount"]), str(item["dueDate"]), item["status"])
    console.print(payments)
