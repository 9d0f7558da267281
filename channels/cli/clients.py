"""`csagent clients ...`: the portfolio, scoped to the person asking."""

from __future__ import annotations

import typer
from rich.table import Table

from channels.cli.context import actor_from_email, parse_as_of, unit_of_work
from channels.cli.output import console, money, or_dash, print_json
from domain.clients.schemas import ClientSummary
from domain.clients.service import list_clients
from domain.enums import ContractTier, HealthStatus

app = typer.Typer(help="Clients in your portfolio.", no_args_is_help=True)

STATUS_STYLE = {"HEALTHY": "green", "MONITOR": "yellow", "AT_RISK": "dark_orange", "CRITICAL": "red"}
TREND_ARROW = {"UP": "↑", "DOWN": "↓", "FLAT": "→"}


@app.command("list")
def list_command(
    as_email: str = typer.Option(..., "--as", help="Email of the staff user asking; the list is their scope."),
    status: HealthStatus | None = typer.Option(None, "--status", case_sensitive=False, help="Health status."),
    tier: ContractTier | None = typer.Option(None, "--tier", case_sensitive=False, help="Contract tier."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="Show at most this many."),
    as_of: str | None = typer.Option(None, "--as-of", help="Date to compute renewal days from (default today)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """List the clients EMAIL may see, worst health first."""
    day = parse_as_of(as_of)
    with unit_of_work() as session:
        actor = actor_from_email(session, as_email)
        rows = list_clients(db_session=session, actor=actor, as_of=day, health_status=status, tier=tier)
    shown = rows[:limit] if limit else rows
    if as_json:
        print_json(shown)
        return
    console.print(portfolio_table(shown, title=f"{actor.name} ({actor.role.value}): {len(rows)} clients"))


def portfolio_table(rows: list[ClientSummary], *, title: str) -> Table:
    table = Table("Client", "Health", "Trend", "Tier", "ARR", "Renewal", "CSM", title=title)
    for row in rows:
        status = row.health_status.value if row.health_status else None
        health = f"{or_dash(row.health_score)} {status or 'not scored'}"
        style = STATUS_STYLE.get(status or "", "dim")
        renewal = f"{row.days_to_renewal}d" if row.days_to_renewal is not None else "—"
        trend = TREND_ARROW.get(row.health_trend.value, "") if row.health_trend else "—"
        table.add_row(
            row.name,
            f"[{style}]{health}[/]",
            trend,
            row.contract_tier.value,
            money(row.annual_recurring_revenue),
            renewal,
            or_dash(row.csm_name),
        )
    return table
