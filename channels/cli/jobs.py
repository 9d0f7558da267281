"""`csagent jobs ...`: the scheduled jobs, listed and run once by hand."""

from __future__ import annotations

import datetime as dt

import typer
from rich.table import Table

from channels.cli.context import load_settings, open_engine
from channels.cli.output import console, print_json
from domain.db import make_session_factory, session_scope

app = typer.Typer(help="Scheduled jobs: list them, run one now.", no_args_is_help=True)


@app.command("list")
def list_jobs(as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts.")) -> None:
    """List every job with its cadence (UTC) and its last run."""
    # The jobs pull in every area they run (briefings, alerts, email): imported when the command runs.
    from channels.scheduler.jobs import JOBS
    from domain.scheduling.runs import last_job_runs

    engine = open_engine(load_settings())
    try:
        with session_scope(make_session_factory(engine)) as session:
            last = {
                name: (run.started_at, run.status, run.detail)
                for name, run in last_job_runs(db_session=session).items()
            }
    finally:
        engine.dispose()
    rows = [
        {"name": job.name, "cadence": job.cadence, "description": job.description,
         "last_run_at": last[job.name][0].isoformat() if job.name in last else None,
         "last_status": last[job.name][1] if job.name in last else None}
        for job in JOBS.values()
    ]  # fmt: skip
    if as_json:
        print_json(rows)
        return
    table = Table("Job", "Cadence (UTC)", "What it does", "Last run", title=f"{len(rows)} jobs")
    for row in rows:
        when = f"{row['last_run_at'][:16]} {row['last_status']}" if row["last_run_at"] else "never"
        table.add_row(row["name"], row["cadence"], row["description"], when)
    console.print(table)


@app.command("run")
def run(
    name: str = typer.Argument(..., help="The job's name (see `csagent jobs list`)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """Run one job now, whichever process leads the scheduler; deliveries stay once per period."""
    from channels.scheduler.jobs import JobContext, get_job  # imported when the command runs, as above
    from channels.scheduler.runner import run_job_once

    job = get_job(name)
    settings = load_settings()
    engine = open_engine(settings)
    started = dt.datetime.now(dt.UTC)
    try:
        with console.status(f"running {job.name}: {job.description.lower()} ..."):
            summary = run_job_once(JobContext(settings=settings, engine=engine), job.name, started)
    finally:
        engine.dispose()
    if as_json:
        print_json({"job": job.name, "started_at": started.isoformat(), "summary": summary})
        return
    console.print(f"{job.name}: {summary}")
