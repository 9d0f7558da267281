"""`csagent timeline CLIENT`: a client's unified timeline, filtered and paged, as a table or JSON."""

from __future__ import annotations

import datetime as dt

import typer
from rich.markup import escape
from rich.table import Table

from channels.cli.context import actor_from_email, unit_of_work
from channels.cli.output import console, print_json
from domain.clients.lookup import find_client
from domain.errors import ValidationError
from domain.timeline.schemas import TimelinePage
from domain.timeline.service import client_timeline

GROUP_STYLE = {"ticket": "cyan", "alert": "red", "health": "magenta", "note": "yellow", "activity": "green"}


def timeline(
    client: str = typer.Argument(..., help="Client name or id."),
    as_email: str = typer.Option(..., "--as", help="Email of the staff user asking."),
    start: str | None = typer.Option(None, "--from", help="First day to include, e.g. 2026-09-01."),
    end: str | None = typer.Option(None, "--to", help="Last day to include, e.g. 2026-11-22."),
    types: list[str] | None = typer.Option(
        None, "--type", help="Kind (ticket_opened), group (ticket, alert, note) or activity type (QBR); repeatable."
    ),
    search: str | None = typer.Option(None, "--search", help="Only entries containing every one of these words."),
    limit: int = typer.Option(50, "--limit", min=1, max=500, help="Entries per page."),
    cursor: str | None = typer.Option(None, "--cursor", help="Continue after a page: its next_cursor."),
    as_json: bool = typer.Option(False, "--json", help="Print the page as JSON (for scripts and QBR exports)."),
) -> None:
    """A client's timeline, newest first: activities, notes, tickets, alerts, health changes, outcomes, billing."""
    with unit_of_work() as session:
        actor = actor_from_email(session, as_email)
        target = find_client(session, actor, client)
        page = client_timeline(
            db_session=session,
            actor=actor,
            client_id=target.id,
            start=_date(start, "--from"),
            end=_date(end, "--to"),
            types=types,
            text=search,
            limit=limit,
            cursor=cursor,
        )
    if as_json:
        print_json(page)
        return
    console.print(timeline_table(page))
    if page.next_cursor:
        console.print(f"more entries: add --cursor {page.next_cursor}", soft_wrap=True)  # one copyable line


def timeline_table(page: TimelinePage) -> Table:
    table = Table("When (UTC)", "Kind", "What", "By", title=f"{escape(page.client_name)}: {len(page.entries)} entries")
    for entry in page.entries:
        style = GROUP_STYLE.get(entry.kind.group, "white")
        kind = entry.kind.value.replace("_", " ") + (" (private)" if entry.is_private else "")
        table.add_row(
            f"{entry.occurred_at:%Y-%m-%d %H:%M}",
            f"[{style}]{kind}[/]",
            escape(entry.title),
            escape(entry.author_name or "—"),
        )
    return table


def _date(value: str | None, flag: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"{flag} must be a date like 2026-11-22, not {value!r}") from None
