"""`csagent db ...`: schema migrations."""

from __future__ import annotations

import typer

from channels.cli.context import load_settings
from channels.cli.output import console
from domain.db import make_engine
from domain.migrate import current_revision, head_revision, upgrade

app = typer.Typer(help="Database schema.", no_args_is_help=True)


@app.command("upgrade")
def upgrade_command() -> None:
    """Migrate the configured database (CSAGENT_DATABASE_URL) to the newest schema."""
    settings = load_settings()
    settings.ensure_sqlite_directory()
    engine = make_engine(settings.database_url)
    before = current_revision(engine)
    upgrade(engine)
    engine.dispose()
    console.print(f"database at revision {head_revision()} (was {before or 'empty'})")
