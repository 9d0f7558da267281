"""Dates and times relative to as_of, and the seeded randomness every demo row comes from."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from faker import Faker

# Engagement history the demo holds: as_of - 179 .. as_of, the 180 days seed 004's views look back over.
HISTORY_DAYS = 180


def utc_at(day: dt.date, hour: int = 0, minute: int = 0, second: int = 0) -> dt.datetime:
    """A timezone-aware UTC datetime on `day`."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=dt.UTC)


def days_before(as_of: dt.date, days: int) -> dt.date:
    return as_of - dt.timedelta(days=days)


def history_start(as_of: dt.date) -> dt.date:
    return days_before(as_of, HISTORY_DAYS - 1)


def stamps(at: dt.datetime) -> dict[str, Any]:
    """created_at/updated_at set explicitly: the models default them to now(), which would break determinism."""
    return {"created_at": at, "updated_at": at}


def rng_for(seed: int, purpose: str, index: int = 0) -> random.Random:
    """An independent generator per (purpose, client), so one story's draws never shift another client's."""
    return random.Random(f"{seed}/{purpose}/{index}")


def faker_for(seed: int) -> Faker:
    """A Faker with its own seeded generator; the global `random` state is never touched."""
    fake = Faker("en_US")
    fake.seed_instance(seed)
    return fake


def between(rng: random.Random, low: float, high: float) -> float:
    return low + (high - low) * rng.random()
