"""Root Typer app and the error boundary: every failure is one readable line and a non-zero exit."""

from __future__ import annotations

import os
import sys

import click
import typer
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from channels.cli import (
    alerts,
    ask,
    bench,
    briefing,
    churn,
    clients,
    database,
    demo,
    index,
    ingest,
    jobs,
    outcomes,
    scheduler,
    scores,
    serve,
    slack,
    timeline,
    users,
)
from channels.cli.eval import eval_command
from domain.errors import DomainError

app = typer.Typer(
    name="csagent",
    help="csagent: a conversational client-success agent over a deterministic domain.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command("demo")(demo.demo)
app.add_typer(users.app, name="users")
app.add_typer(clients.app, name="clients")
app.add_typer(ingest.ingest_app, name="ingest")
app.add_typer(ingest.import_app, name="import")
app.add_typer(database.app, name="db")
app.add_typer(scores.app, name="scores")
app.add_typer(alerts.app, name="alerts")
app.add_typer(churn.app, name="churn")
app.add_typer(index.app, name="index")
app.command("bench")(bench.bench)
app.command("serve")(serve.serve)
app.command("ask")(ask.ask)
app.command("chat")(ask.chat)
app.command("timeline")(timeline.timeline)
app.command("outcomes")(outcomes.outcomes)
app.command("portal")(outcomes.portal)
app.command("eval")(eval_command)
app.command("briefing")(briefing.briefing)
app.command("scheduler")(scheduler.scheduler)
app.add_typer(jobs.app, name="jobs")
app.command("slack")(slack.slack)


def _fail(message: str, code: int) -> None:
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(code)


def main() -> None:
    """Run the CLI; domain, usage and database errors become one line on stderr."""
    try:
        app(standalone_mode=False)
    except (click.exceptions.Exit, typer.Exit) as done:
        raise SystemExit(done.exit_code) from None
    except (click.exceptions.Abort, typer.Abort):
        _fail("aborted", 130)
    except DomainError as problem:
        _fail(str(problem), 1)
    except OperationalError as problem:
        _fail(f"database unavailable: {str(problem.orig).splitlines()[0]}", 1)
    except SQLAlchemyError as problem:
        _fail(f"database error: {str(problem).splitlines()[0]}", 1)
    except Exception as problem:
        if hasattr(problem, "format_message") and hasattr(problem, "exit_code"):  # click or typer's vendored click
            _fail(str(problem.format_message()).replace("\n", " "), int(problem.exit_code))
        if os.environ.get("CSAGENT_DEBUG"):
            raise
        _fail(f"unexpected {type(problem).__name__}: {problem} (set CSAGENT_DEBUG=1 for a traceback)", 1)
