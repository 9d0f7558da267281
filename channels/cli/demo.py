"""`csagent demo`: load the deterministic demo tenant and show what it contains."""

from __future__ import annotations

import typer
from rich.table import Table

from channels.cli.context import load_settings, parse_as_of, unit_of_work
from channels.cli.output import console
from channels.cli.progress import progress_bar


def demo(
    reset: bool = typer.Option(False, "--reset", help="Delete the demo tenant first, then regenerate it."),
    clients: int = typer.Option(60, "--clients", min=10, max=20000, help="How many clients to generate."),
    seed: int = typer.Option(7, "--seed", help="Random seed: the same seed gives the same data."),
    as_of: str | None = typer.Option(None, "--as-of", help="Date the data ends on (default today, UTC)."),
    index: bool = typer.Option(True, "--index/--no-index", help="Build the timeline search index afterwards."),
) -> None:
    """Load the demo tenant (Demo Co) into the configured database."""
    from domain.demo import DEMO_STAFF, generate_demo, reset_demo  # heavy (faker): imported when the command runs
    from domain.jobs import refresh_derived_data

    day = parse_as_of(as_of)
    with unit_of_work() as session:
        if reset and reset_demo(db_session=session):
            console.print("removed the previous demo tenant")
        with progress_bar() as report:
            summary = generate_demo(db_session=session, as_of=day, seed=seed, clients=clients, progress=report)
            refresh_derived_data(
                db_session=session, workspace_id=summary.workspace_id, as_of=day, backfill_days=90, progress=report
            )
    if index and load_settings().semantic_search:
        _build_index(summary.workspace_id)
    console.print(
        f"demo tenant ready as of {day}: {summary.clients} clients, {summary.contacts} contacts, "
        f"{summary.events:,} events, {summary.rollups:,} daily rollups, {summary.activities} activities"
    )
    staff = Table("Sign in as", "Name", "Role", title="Demo staff (use with --as)")
    for member in DEMO_STAFF:
        staff.add_row(member.email, member.name, member.role.value)
    console.print(staff)
    stories = Table("Story", "Client", title="Stories to look for")
    for story, client_name in summary.stories.items():
        stories.add_row(story, client_name)
    console.print(stories)


def _build_index(workspace_id: int) -> None:
    """Embed the demo timeline now, so the first question about what was said does not wait for it."""
    from agent.retrieval.config import RetrievalConfig
    from agent.retrieval.index import open_index
    from agent.retrieval.sync import rebuild

    index = open_index(RetrievalConfig.from_settings(load_settings()))
    with unit_of_work() as session, console.status("indexing the demo timeline for search by meaning ..."):
        report = rebuild(db_session=session, index=index, workspace_id=workspace_id)
    console.print(f"timeline index built: {report.scanned:,} entries in {report.seconds:.0f} s")
