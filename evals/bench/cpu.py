"""CPU time of this process and of the database server process, for figures that survive a busy machine.

On a shared machine wall time mostly measures the neighbours; CPU seconds spent by the client and
by its PostgreSQL backend (read from /proc when the server is local) measure the work itself.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session


def process_cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def server_cpu_seconds(session: Session) -> float | None:
    """CPU seconds of the session's PostgreSQL backend so far; None for SQLite or a remote server."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    pid = session.scalar(text("SELECT pg_backend_pid()"))
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # utime and stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
