"""What REST routes share beyond the session and actor: the clock, the as-of day and idempotency keys."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import Depends, Header, Path, Query
from pydantic import AfterValidator

from domain.errors import ValidationError

# Dates outside this range are typos (0001-01-01) that would overflow date arithmetic downstream.
EARLIEST_AS_OF, LATEST_AS_OF = dt.date(2000, 1, 1), dt.date(2099, 12, 31)


def _plausible(day: dt.date) -> dt.date:
    if not EARLIEST_AS_OF <= day <= LATEST_AS_OF:
        raise ValueError(f"must be between {EARLIEST_AS_OF} and {LATEST_AS_OF}")
    return day


# A date a person could mean: request fields and query parameters of type date use it.
Day = Annotated[dt.date, AfterValidator(_plausible)]


def current_now() -> dt.datetime:
    """The request's clock; tests and demos override this dependency to pin time."""
    return dt.datetime.now(dt.UTC)


NowDep = Annotated[dt.datetime, Depends(current_now)]


def as_of_day(
    now: NowDep,
    as_of: Annotated[
        dt.date | None, Query(description="The day to compute for (default: today, UTC). Every number is as of it.")
    ] = None,
) -> dt.date:
    if as_of is None:
        return now.date()
    if not EARLIEST_AS_OF <= as_of <= LATEST_AS_OF:
        raise ValidationError(f"as_of must be between {EARLIEST_AS_OF} and {LATEST_AS_OF}, got {as_of}")
    return as_of


AsOfDep = Annotated[dt.date, Depends(as_of_day)]


def idempotency_key(
    key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            max_length=120,
            description="Any unique string; a retried write with the same key returns the first result.",
        ),
    ] = None,
) -> str | None:
    return key.strip() or None if key is not None else None


IdempotencyKeyDep = Annotated[str | None, Depends(idempotency_key)]


def id_path(what: str) -> Any:
    # Bounded to the database's integer range so a huge id is a 422, not a driver overflow.
    return Path(ge=1, le=2**31 - 1, description=f"The {what}'s id")


ClientId = Annotated[int, id_path("client")]
