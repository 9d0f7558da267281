"""Generate and write every client's 180 days of events, collecting the stats other rows need."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from domain.demo.clock import history_start, rng_for
from domain.demo.event_sim import ClientEvents, simulate_days
from domain.demo.event_sinks import event_sink_for
from domain.demo.plan import ClientPlan
from domain.demo.usage_stats import UsageStats
from domain.progress import ProgressCallback


def write_events(
    *,
    db_session: Session,
    plans: list[ClientPlan],
    client_ids: list[int],
    workspace_id: int,
    as_of: dt.date,
    seed: int,
    progress: ProgressCallback,
) -> tuple[int, list[UsageStats]]:
    """Insert as_of - 179 .. as_of of events per client; returns the row count and per-client stats."""
    sink = event_sink_for(db_session, workspace_id)
    day_zero = history_start(as_of)
    all_stats: list[UsageStats] = []
    for done, (plan, client_id) in enumerate(zip(plans, client_ids, strict=True), start=1):
        context = ClientEvents(
            plan=plan.usage,
            rng=rng_for(seed, "events", plan.index),
            client_index=plan.index,
            first_weekday=day_zero.weekday(),
        )
        stats = UsageStats.starting(as_of)
        for day_number, events in simulate_days(context):
            stats.observe(day_number, events)
            sink.add(
                client_id, plan.index, day_zero + dt.timedelta(days=day_number), stats.events - len(events), events
            )
        all_stats.append(stats)
        progress("events", done, len(plans))
    sink.flush()
    return sink.written, all_stats
