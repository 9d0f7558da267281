"""`csagent scores ...`: recompute, show and simulate client scores."""

from __future__ import annotations

import typer
from rich.table import Table
from sqlalchemy import select

from channels.cli.context import actor_from_email, parse_as_of, unit_of_work
from channels.cli.output import console, print_json
from channels.cli.progress import progress_bar
from domain.clients.lookup import find_client
from domain.errors import ValidationError
from domain.scoring.drivers import explain_drivers, get_score
from domain.scoring.presets import PRESETS
from domain.scoring.recompute import RecomputeReport, recompute_scores
from domain.scoring.schemas import DriversReport, ScoreView
from domain.scoring.simulate import simulate_weights
from domain.staff.models import Workspace

app = typer.Typer(help="Health, success and supplier scores.", no_args_is_help=True)
AsOption = typer.Option(..., "--as", help="Email of the staff user asking.")
AsOfOption = typer.Option(None, "--as-of", help="Date (default today, UTC).")
ModelOption = typer.Option("health", "--model", help="Score model: health, success or supplier.")


def _model(value: str) -> str:
    if value not in PRESETS:
        raise ValidationError(f"--model must be one of {', '.join(PRESETS)}, not {value!r}")
    return value


@app.command("recompute")
def recompute(
    as_of: str | None = AsOfOption,
    start: str | None = typer.Option(None, "--from", help="Backfill every day from this date to --as-of."),
    model: str = typer.Option("all", "--model", help="health, success, supplier or all."),
    as_json: bool = typer.Option(False, "--json", help="Print the reports as JSON."),
) -> None:
    """Write daily score snapshots for every client of every workspace (idempotent per day)."""
    end = parse_as_of(as_of)
    first = parse_as_of(start) if start else end
    models = list(PRESETS) if model == "all" else [_model(model)]
    reports: list[RecomputeReport] = []
    with unit_of_work() as session, progress_bar() as report:
        for workspace_id in session.scalars(select(Workspace.id).order_by(Workspace.id)):
            for key in models:
                reports.append(
                    recompute_scores(
                        db_session=session,
                        workspace_id=workspace_id,
                        start=first,
                        end=end,
                        model_key=key,
                        progress=report,
                    )
                )
    if as_json:
        print_json(reports)
        return
    for item in reports:
        console.print(
            f"{item.model_key}: {item.snapshots:,} snapshots for {item.clients} clients over {item.days} day(s)"
            + (f", {item.not_scored} client-days without any data" if item.not_scored else "")
        )


@app.command("show")
def show(
    client: str = typer.Argument(..., help="Client name or id."),
    as_email: str = AsOption,
    as_of: str | None = AsOfOption,
    model: str = ModelOption,
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """Show a client's score: components with weights and raw inputs, and the drivers vs 30 days ago."""
    day = parse_as_of(as_of)
    with unit_of_work() as session:
        actor = actor_from_email(session, as_email)
        target = find_client(session, actor, client)
        view = get_score(db_session=session, actor=actor, client_id=target.id, as_of=day, model_key=_model(model))
        drivers = explain_drivers(
            db_session=session, actor=actor, client_id=target.id, to_day=view.day, model_key=view.model_key
        )
    if as_json:
        print_json({"score": view.model_dump(mode="json"), "drivers": drivers.model_dump(mode="json")})
        return
    _print_score(view)
    _print_drivers(drivers)


def _print_score(view: ScoreView) -> None:
    trend = view.trend.value if view.trend else "no history"
    console.print(
        f"[bold]{view.client_name}[/] {view.model_key} {view.overall:.1f} {view.status.value} ({trend}), {view.day}"
    )
    table = Table("Component", "Score", "Weight", "Effective", "Evidence")
    for component in view.components:
        score = "insufficient data" if component.score is None else f"{component.score:.1f}"
        table.add_row(
            component.name, score, f"{component.weight:g}", f"{component.effective_weight:.1f}", component.evidence
        )
    console.print(table)


def _print_drivers(report: DriversReport) -> None:
    console.print(
        f"change {report.from_day} -> {report.to_day}: {report.score_before:.1f} -> {report.score_after:.1f} "
        f"({report.change:+.1f})"
    )
    table = Table("Driver", "Contribution", "Score effect", "Weight effect", "Now")
    for driver in report.drivers:
        table.add_row(
            driver.component,
            f"{driver.contribution:+.2f}",
            f"{driver.score_effect:+.2f}",
            f"{driver.weight_effect:+.2f}",
            driver.evidence_after or "",
        )
    console.print(table)
    if report.recommended_actions:
        console.print("recommended: " + "; ".join(report.recommended_actions))


@app.command("simulate")
def simulate(
    weights: str = typer.Argument(
        ..., help="New weights, e.g. usage=30,adoption=15,support=15,relationship=15,contract=15,outcome=10"
    ),
    as_email: str = AsOption,
    as_of: str | None = AsOfOption,
    model: str = ModelOption,
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """Preview a weight change over the portfolio without saving it: which clients would change status."""
    proposed = parse_weights(weights)
    with unit_of_work() as session:
        actor = actor_from_email(session, as_email)
        report = simulate_weights(
            db_session=session, actor=actor, weights=proposed, as_of=parse_as_of(as_of), model_key=_model(model)
        )
    if as_json:
        print_json(report)
        return
    console.print(
        f"{report.clients} clients: average {report.average_current} -> {report.average_simulated}; "
        f"{len(report.status_changes)} would change status (nothing saved)"
    )
    table = Table("Client", "Now", "Simulated")
    for item in report.status_changes:
        table.add_row(
            item.client_name,
            f"{item.current_score:.1f} {item.current_status.value}",
            f"{item.simulated_score:.1f} {item.simulated_status.value}",
        )
    console.print(table)


def parse_weights(text: str) -> dict[str, float]:
    """'usage=30,adoption=15' -> {"usage": 30.0, "adoption": 15.0}, with a clear error otherwise."""
    weights: dict[str, float] = {}
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        name, sep, value = part.partition("=")
        try:
            if not sep:
                raise ValueError
            weights[name.strip()] = float(value)
        except ValueError:
            raise ValidationError(f"weights look like usage=30,adoption=15; could not read {part!r}") from None
    if not weights:
        raise ValidationError("give at least one weight, e.g. usage=30")
    return weights
