"""`csagent users ...`: the staff who can use csagent."""

from __future__ import annotations

import typer
from rich.table import Table
from sqlalchemy import select

from channels.cli.context import unit_of_work
from channels.cli.output import console, print_json
from domain.staff.models import User, Workspace

app = typer.Typer(help="Staff users.", no_args_is_help=True)


@app.command("list")
def list_users(as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts.")) -> None:
    """List staff users: email, name, role and workspace."""
    with unit_of_work() as session:
        rows = session.execute(
            select(User, Workspace.slug)
            .join(Workspace, Workspace.id == User.workspace_id)
            .order_by(Workspace.slug, User.role, User.email)
        ).all()
    if as_json:
        print_json([{"email": u.email, "name": u.name, "role": u.role.value, "workspace": slug} for u, slug in rows])
        return
    table = Table("Email", "Name", "Role", "Workspace", title=f"{len(rows)} staff users")
    for user, slug in rows:
        table.add_row(user.email, user.name, user.role.value, slug)
    console.print(table)
