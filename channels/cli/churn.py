"""`csagent churn ...`: predict and fit the churn model."""

from __future__ import annotations

import typer
from sqlalchemy import select

from channels.cli.context import parse_as_of, unit_of_work
from channels.cli.output import console, print_json
from channels.cli.progress import progress_bar
from domain.staff.models import Workspace

app = typer.Typer(help="Churn risk model.", no_args_is_help=True)


@app.command("fit")
def fit_command(
    workspace: str | None = typer.Option(None, "--workspace", help="Workspace slug (default: every workspace)."),
    as_of: str | None = typer.Option(None, "--as-of", help="Fit on history up to this date (default today)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Fit the churn model on the tenant's own renewal/churn history and use it from now on."""
    from domain.churn.fit import fit_churn_model  # heavy: imported when the command runs

    day = parse_as_of(as_of)
    with unit_of_work() as session, progress_bar() as report:
        query = select(Workspace.id, Workspace.slug).order_by(Workspace.id)
        if workspace:
            query = query.where(Workspace.slug == workspace)
        reports = [
            fit_churn_model(db_session=session, workspace_id=workspace_id, as_of=day, progress=report)
            for workspace_id, _ in session.execute(query)
        ]
    if as_json:
        print_json(reports)
        return
    for fit in reports:
        console.print(
            f"model {fit.version}: trained on {fit.trained_on_rows} outcomes ({fit.churned} churned, "
            f"{fit.retained} retained); cross-validated AUC {fit.auc:.3f} (defaults {fit.default_auc:.3f}), "
            f"Brier {fit.brier:.3f} over {fit.folds} folds"
        )
