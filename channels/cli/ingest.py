"""`csagent ingest events FILE` and `csagent import clients|contacts FILE`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from channels.cli.context import unit_of_work
from channels.cli.output import console, print_json
from channels.cli.progress import progress_bar
from domain.errors import NotFoundError, ValidationError
from domain.staff.models import Workspace

ingest_app = typer.Typer(help="Ingest platform data.", no_args_is_help=True)
import_app = typer.Typer(help="Import CRM data from CSV.", no_args_is_help=True)

WorkspaceOption = typer.Option(None, "--workspace", help="Workspace slug (needed when there are several).")
FileArgument = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="The file to read.")
JsonOption = typer.Option(False, "--json", help="Print the report as JSON.")


def resolve_workspace(session: Session, slug: str | None) -> int:
    """The workspace to write into: the named one, or the only one there is."""
    if slug is not None:
        workspace_id = session.scalar(select(Workspace.id).where(Workspace.slug == slug))
        if workspace_id is None:
            raise NotFoundError(f"no workspace with slug {slug!r}")
        return workspace_id
    ids = session.scalars(select(Workspace.id).limit(2)).all()
    if len(ids) != 1:
        raise ValidationError("there is not exactly one workspace; say which with --workspace SLUG")
    return ids[0]


def _print_bad_rows(kind: str, bad_rows: list[tuple[int, str]]) -> None:
    if not bad_rows:
        return
    table = Table("Line", "Problem", title=f"{len(bad_rows)} {kind} skipped")
    for line, error in bad_rows[:50]:
        table.add_row(str(line), error)
    console.print(table)
    if len(bad_rows) > 50:
        console.print(f"… and {len(bad_rows) - 50} more (use --json for all)")


@ingest_app.command("events")
def events_command(
    path: Path = FileArgument, workspace: str | None = WorkspaceOption, as_json: bool = JsonOption
) -> None:
    """Ingest engagement events from JSONL or CSV; re-running the same file adds nothing."""
    from domain.ingest.events import ingest_events  # imported when the command runs: keeps every command's start fast

    with unit_of_work() as session:
        workspace_id = resolve_workspace(session, workspace)
        with progress_bar() as report:
            result = ingest_events(db_session=session, workspace_id=workspace_id, path=path, progress=report)
    if as_json:
        print_json(result)
        return
    console.print(
        f"{result.rows_read:,} rows read: {result.inserted:,} new events, {result.duplicates:,} already known, "
        f"{len(result.bad_rows)} bad; {result.rollup_rows:,} daily rollups rebuilt for {result.clients_touched} clients"
    )
    _print_bad_rows("rows", [(bad.line, bad.error) for bad in result.bad_rows])


def _run_import(kind: str, path: Path, workspace: str | None, as_json: bool) -> None:
    from domain.ingest.clients_import import import_clients  # imported when the command runs
    from domain.ingest.contacts_import import import_contacts

    importer = import_clients if kind == "clients" else import_contacts
    with unit_of_work() as session:
        workspace_id = resolve_workspace(session, workspace)
        result = importer(db_session=session, workspace_id=workspace_id, path=path)
    if as_json:
        print_json(result)
        return
    console.print(f"{kind}: {result.created} created, {result.updated} updated, {len(result.errors)} rows skipped")
    _print_bad_rows("rows", [(error.row, error.message) for error in result.errors])


@import_app.command("clients")
def clients_command(
    path: Path = FileArgument, workspace: str | None = WorkspaceOption, as_json: bool = JsonOption
) -> None:
    """Import or update clients from a CSV file (header names are matched loosely)."""
    _run_import("clients", path, workspace, as_json)


@import_app.command("contacts")
def contacts_command(
    path: Path = FileArgument, workspace: str | None = WorkspaceOption, as_json: bool = JsonOption
) -> None:
    """Import or update client contacts from a CSV file."""
    _run_import("contacts", path, workspace, as_json)
