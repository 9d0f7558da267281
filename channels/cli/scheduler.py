"""`csagent scheduler`: run the jobs on their cadence; several may run, one leads (a database lease)."""

from __future__ import annotations

import logging
import signal
from types import FrameType

from channels.cli.context import load_settings, open_engine
from channels.cli.output import console


def scheduler() -> None:
    """Run the scheduler until interrupted (Ctrl-C or SIGTERM); only the lease holder runs jobs."""
    # The jobs pull in every area they run: imported when the command runs, not by every other command.
    from channels.scheduler.jobs import JobContext
    from channels.scheduler.runner import LEASE_TTL, LeaderScheduler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = load_settings()
    engine = open_engine(settings)
    leader = LeaderScheduler(JobContext(settings=settings, engine=engine))

    def stop(_signal: int, _frame: FrameType | None) -> None:
        leader.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    def announce(leading: bool) -> None:
        if leading:
            console.print(f"[green]{leader.holder} leads[/]: jobs run on schedule (`csagent jobs list`)")
        else:
            seconds = int(LEASE_TTL.total_seconds())
            console.print(f"{leader.holder} stands by: another scheduler leads; taking over if it is silent {seconds}s")

    console.print(f"scheduler {leader.holder} starting; Ctrl-C to stop")
    try:
        leader.serve_forever(on_change=announce)
    finally:
        engine.dispose()
    console.print("scheduler stopped; lease released")
