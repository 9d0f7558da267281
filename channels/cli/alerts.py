"""`csagent alerts ...`: evaluate and list alerts."""

from __future__ import annotations

import datetime as dt

import typer
from rich.table import Table
from sqlalchemy import select

from channels.cli.context import actor_from_email, parse_as_of, unit_of_work
from channels.cli.output import console, print_json
from domain.enums import AlertSeverity, AlertStatus
from domain.staff.models import Workspace

app = typer.Typer(help="Proactive alerts.", no_args_is_help=True)
SEVERITY_STYLE = {"CRITICAL": "red", "HIGH": "dark_orange", "MEDIUM": "yellow", "LOW": "dim", "INFO": "dim"}


@app.command("list")
def list_command(
    as_email: str = typer.Option(..., "--as", help="Email of the staff user asking."),
    status: AlertStatus | None = typer.Option(
        None, "--status", case_sensitive=False, help="Default: new + acknowledged."
    ),
    severity: AlertSeverity | None = typer.Option(None, "--severity", case_sensitive=False),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """List the alerts on the clients EMAIL may see, most severe first."""
    from domain.alerts.service import list_alerts  # imported when the command runs: keeps every command's start fast

    with unit_of_work() as session:
        actor = actor_from_email(session, as_email)
        alerts = list_alerts(
            db_session=session, actor=actor, now=dt.datetime.now(dt.UTC), status=status, severity=severity
        )
    if as_json:
        print_json(alerts)
        return
    table = Table("#", "Severity", "Client", "Alert", "Status", "Suggested action", title=f"{len(alerts)} alerts")
    for alert in alerts:
        style = SEVERITY_STYLE.get(alert.severity.value, "")
        table.add_row(
            str(alert.id),
            f"[{style}]{alert.severity.value}[/]",
            alert.client_name,
            alert.title,
            alert.status.value,
            alert.recommended_action or "",
        )
    console.print(table)


@app.command("evaluate")
def evaluate_command(
    as_of: str | None = typer.Option(None, "--as-of", help="Date to evaluate (default today)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Evaluate every alert rule for every workspace (idempotent: re-runs create no duplicates)."""
    from domain.alerts.engine import evaluate_alerts  # imported when the command runs: keeps every command's start fast

    day = parse_as_of(as_of)
    now = dt.datetime.now(dt.UTC)
    with unit_of_work() as session:
        reports = [
            evaluate_alerts(db_session=session, workspace_id=workspace_id, as_of=day, now=now)
            for workspace_id in session.scalars(select(Workspace.id).order_by(Workspace.id))
        ]
    if as_json:
        print_json(reports)
        return
    for report in reports:
        console.print(
            f"workspace {report.workspace_id}: {report.created} new, {report.updated} updated, "
            f"{report.resolved} resolved, {report.unsnoozed} back from snooze"
        )
