"""`csagent index ...`: the timeline vector index, derived from the database (rebuild, verify, sync)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import typer
from rich.table import Table
from sqlalchemy.orm import Session

from channels.cli.context import load_settings, unit_of_work
from channels.cli.output import console, print_json
from domain.errors import NotFoundError

app = typer.Typer(help="Timeline vector index (Chroma), rebuilt from the database.", no_args_is_help=True)
WorkspaceOption = typer.Option(None, "--workspace", help="Only this workspace id (default: every workspace).")
JsonOption = typer.Option(False, "--json", help="Print the reports as JSON.")


def _workspaces(session: Session, only: int | None) -> list[int]:
    from agent.retrieval.sync import workspace_ids

    known = workspace_ids(session)
    if only is None:
        return known
    if only not in known:
        raise NotFoundError(f"no workspace with id {only}")
    return [only]


def _run(only: int | None, step: Callable[..., Any], label: str) -> list[Any]:
    from agent.retrieval.config import RetrievalConfig
    from agent.retrieval.index import open_index

    settings = load_settings()
    config = RetrievalConfig.from_settings(settings)
    reports = []
    with unit_of_work() as session:
        index = open_index(config)
        for workspace_id in _workspaces(session, only):
            with console.status(f"{label} workspace {workspace_id} at {config.location} ..."):
                reports.append(step(db_session=session, index=index, workspace_id=workspace_id))
    return reports


@app.command("rebuild")
def rebuild(workspace: int | None = WorkspaceOption, as_json: bool = JsonOption) -> None:
    """Drop the index's vectors and embed every timeline entry again from the database."""
    from agent.retrieval.sync import rebuild as rebuild_workspace

    reports = _run(workspace, rebuild_workspace, "Rebuilding")
    _print_sync(reports, as_json, "rebuilt")


@app.command("sync")
def sync(workspace: int | None = WorkspaceOption, as_json: bool = JsonOption) -> None:
    """Bring the index in step with the database: embed missing and changed entries, delete extra ones."""
    from agent.retrieval.sync import sync_workspace

    reports = _run(workspace, sync_workspace, "Syncing")
    _print_sync(reports, as_json, "synced")


@app.command("verify")
def verify(workspace: int | None = WorkspaceOption, as_json: bool = JsonOption) -> None:
    """Compare the index with the database (entry ids and content hashes); exit 1 when they differ."""
    from agent.retrieval.sync import verify as verify_workspace

    reports = _run(workspace, verify_workspace, "Verifying")
    drift = [report for report in reports if not report.in_sync]
    if as_json:
        print_json([{**dataclasses.asdict(report), "in_sync": report.in_sync} for report in reports])
    else:
        table = Table("workspace", "database", "index", "missing", "stale", "extra", "built", title="timeline index")
        for report in reports:
            table.add_row(
                str(report.workspace_id),
                str(report.database_entries),
                str(report.index_entries),
                str(report.missing_count),
                str(report.stale_count),
                str(report.extra_count),
                report.built_at or "never",
            )
        console.print(table)
        for report in drift:
            for name in ("missing", "stale", "extra"):
                ids = getattr(report, name)
                if ids:
                    console.print(f"workspace {report.workspace_id} {name}: {', '.join(ids)}")
        console.print("run `csagent index sync` to repair" if drift else "index in step with the database")
    if drift:
        raise typer.Exit(1)


def _print_sync(reports: list[Any], as_json: bool, verb: str) -> None:
    if as_json:
        print_json([dataclasses.asdict(report) for report in reports])
        return
    for report in reports:
        rate = report.added / report.seconds if report.seconds and report.added else 0.0
        console.print(
            f"workspace {report.workspace_id}: {verb} {report.scanned:,} entries "
            f"({report.added:,} embedded, {report.updated:,} re-embedded, {report.removed:,} removed) "
            f"in {report.seconds:.1f}s" + (f", {rate:,.0f} entries/s" if rate else "")
        )
