"""The shape of one incoming engagement event, validated with pydantic, and its readable errors."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

import pydantic
from dateutil.parser import isoparse
from pydantic import AliasChoices, BaseModel, ConfigDict, Field, PlainValidator, StringConstraints

from domain.enums import EventType

# Ids are joined with control characters when rolled up (see domain/usage/rollup_queries.py).
_PRINTABLE = r"^[^\x00-\x1f\x7f]+$"
_EVENT_TYPES = ", ".join(member.value for member in EventType)
EVENT_TYPE_BY_VALUE = {member.value: member for member in EventType}  # a dict lookup beats EventType(...)
# A zero or garbled timestamp (1970, year 20250) would stretch rollups over decades of empty days.
PLAUSIBLE_YEARS = range(2000, 2100)


def parse_timestamp(value: object) -> dt.datetime:
    """An ISO 8601 instant in UTC; a naive timestamp is taken to be UTC."""
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            # fromisoformat is ~30x faster than dateutil and covers what exporters write.
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            try:
                parsed = isoparse(value)
            except (ValueError, OverflowError):
                raise ValueError(f"not an ISO 8601 timestamp: {value!r}") from None
    else:
        raise ValueError(f"not an ISO 8601 timestamp: {value!r}")
    parsed = parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)
    if parsed.year not in PLAUSIBLE_YEARS:
        raise ValueError(f"{value!r} is outside {PLAUSIBLE_YEARS.start}..{PLAUSIBLE_YEARS.stop - 1}")
    return parsed


def parse_event_type(value: object) -> EventType:
    event_type = EVENT_TYPE_BY_VALUE.get(str(value).strip().lower())
    if event_type is None:
        raise ValueError(f"unknown event type {value!r} (expected one of {_EVENT_TYPES})")
    return event_type


def parse_properties(value: object) -> dict[str, Any] | None:
    """A JSON object, given as an object (JSON Lines) or as JSON text (a CSV cell)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise ValueError("not valid JSON") from None
    if not isinstance(value, dict):
        raise ValueError(f"expected a JSON object, got {type(value).__name__}")
    return value


Identifier = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, pattern=_PRINTABLE)]


class EventRow(BaseModel):
    """One event as senders write it; `client` may be an id, an external id or a name."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True, frozen=True)

    event_id: Annotated[Identifier, StringConstraints(max_length=128)]
    user_ref: Annotated[Identifier, StringConstraints(max_length=100)] = Field(
        validation_alias=AliasChoices("user_ref", "user_id", "user")
    )
    event_type: Annotated[EventType, PlainValidator(parse_event_type)]
    occurred_at: Annotated[dt.datetime, PlainValidator(parse_timestamp)] = Field(
        validation_alias=AliasChoices("occurred_at", "timestamp")
    )
    client_id: int | None = None
    client_external_id: str | None = Field(
        default=None, validation_alias=AliasChoices("client_external_id", "external_id", "organization_id")
    )
    client_name: str | None = None
    client: int | str | None = None
    feature_key: Annotated[Identifier, StringConstraints(max_length=64)] | None = Field(
        default=None, validation_alias=AliasChoices("feature_key", "feature")
    )
    session_id: Annotated[Identifier, StringConstraints(max_length=100)] | None = None
    duration_seconds: Annotated[int, Field(ge=0)] | None = None
    properties: Annotated[dict[str, Any] | None, PlainValidator(parse_properties)] = None


def describe_errors(exc: pydantic.ValidationError) -> str:
    """One line naming each bad field, e.g. "duration_seconds: must be >= 0 (got -5)"."""
    return "; ".join(_describe(error) for error in exc.errors(include_url=False))


def _describe(error: Any) -> str:
    field = ".".join(str(part) for part in error["loc"]) or "row"
    kind = error["type"]
    if kind == "missing":
        return f"missing field '{field}'"
    if kind == "value_error":
        return f"{field}: {error['ctx']['error']}"
    if kind == "string_pattern_mismatch":
        return f"{field}: must not contain control characters"
    return f"{field}: {error['msg'].lower()} (got {error['input']!r})"
