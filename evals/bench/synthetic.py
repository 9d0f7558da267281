"""Deterministic synthetic engagement events for benchmarks, produced as a stream."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from domain.usage.events import event_time_columns

USERS_PER_CLIENT = 25
FEATURES = ("case_creation", "investigation", "campaign_launch", "policy_publish", "dashboards", "chatbot")
# (event type, weight): mostly page views and feature use, a login roughly every seventh event.
EVENT_MIX = (
    ("login", 14),
    ("page_view", 36),
    ("feature_use", 24),
    ("task_completed", 8),
    ("content_generated", 6),
    ("insight_reviewed", 5),
    ("export_downloaded", 4),
    ("settings_updated", 2),
    ("feedback_given", 1),
)


def synthetic_events(
    *, client_refs: list[str], count: int, start: dt.date, days: int, seed: int = 7
) -> Iterator[dict[str, Any]]:
    """Yield `count` events spread over `client_refs` and `days` days from `start`, in time order per day."""
    rng = random.Random(seed)
    types = [name for name, _ in EVENT_MIX]
    weights = [weight for _, weight in EVENT_MIX]
    base = dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC)
    for number in range(count):
        client = rng.randrange(len(client_refs))
        user = rng.randrange(USERS_PER_CLIENT)
        day = number * days // count  # days advance with the stream, as a real export would
        hour = min(23, max(0, int(rng.gauss(14, 3))))
        event_type = rng.choices(types, weights)[0]
        occurred_at = base + dt.timedelta(days=day, hours=hour, seconds=rng.randrange(3600))
        event: dict[str, Any] = {
            "event_id": f"evt-{seed}-{number:09d}",
            "client_external_id": client_refs[client],
            "user_id": f"user-{client}-{user}",
            "event_type": event_type,
            "occurred_at": occurred_at.isoformat().replace("+00:00", "Z"),
            "session_id": f"s-{client}-{user}-{day}-{hour // 3}",
            "duration_seconds": rng.randrange(5, 600),
        }
        if event_type == "feature_use":
            event["feature"] = rng.choice(FEATURES)
        if number % 4 == 0:
            event["properties"] = {"source": rng.choice(("web", "mobile", "api"))}
        yield event


def as_event_row(event: dict[str, Any], *, workspace_id: int, client_ids: dict[str, int]) -> dict[str, Any]:
    """A synthetic event as insert_events takes it, skipping the file and validation."""
    occurred_at, occurred_on, occurred_hour = event_time_columns(dt.datetime.fromisoformat(event["occurred_at"]))
    return {
        "workspace_id": workspace_id,
        "event_id": event["event_id"],
        "client_id": client_ids[event["client_external_id"]],
        "user_ref": event["user_id"],
        "event_type": event["event_type"],
        "feature_key": event.get("feature"),
        "occurred_at": occurred_at,
        "occurred_on": occurred_on,
        "occurred_hour": occurred_hour,
        "session_id": event["session_id"],
        "duration_seconds": event["duration_seconds"],
        "properties": event.get("properties"),
    }
