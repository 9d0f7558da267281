"""The fast path for plain event rows agrees with EventRow on every row it accepts, and accepts the usual ones."""

from __future__ import annotations

from typing import Any

import pydantic
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.ingest.event_fast import fast_event
from domain.ingest.event_rows import EventRow

IDS = st.one_of(
    st.sampled_from(["evt-1", "u-7", "s-1-2", "reports", "ünï cødé"]),
    st.text(max_size=130),
    st.sampled_from(["evt-1", " evt-1", "evt-1 ", "a\x1fb", "a\u00a0b", "\u3000x", "é" * 64, "x" * 101, "x" * 128]),
    st.integers(-5, 10**20),
    st.none(),
    st.booleans(),
    st.floats(allow_nan=False),
)
TIMESTAMPS = st.one_of(
    st.sampled_from(
        [
            "2025-01-01T14:23:11Z",
            "2025-03-03 08:00:00",
            "2025-03-03T23:30:00-02:00",
            "1970-01-01T00:00Z",
            "last tuesday",
            "2025-13-01T00:00:00Z",
            "",
            20250101,
        ]
    ),
    st.datetimes().map(lambda value: value.isoformat()),
)
SMALL_VALUES = st.one_of(
    st.none(),
    st.integers(0, 100),
    st.booleans(),
    st.integers(-3, 10**19),
    st.floats(allow_nan=False),
    st.text(max_size=5),
)
EVENT_TYPES = st.sampled_from(["login", "feature_use", "LOGIN", " page_view", "teleported", 3, None, ["login"]])
FIELDS: dict[str, Any] = {
    "user_ref": IDS,
    "user_id": IDS,
    "user": IDS,
    "timestamp": TIMESTAMPS,
    "client_id": SMALL_VALUES,
    "client_external_id": SMALL_VALUES,
    "external_id": SMALL_VALUES,
    "organization_id": SMALL_VALUES,
    "client_name": SMALL_VALUES,
    "client": SMALL_VALUES,
    "feature_key": IDS,
    "feature": IDS,
    "session_id": IDS,
    "duration_seconds": SMALL_VALUES,
    "properties": st.one_of(SMALL_VALUES, st.dictionaries(st.text(max_size=3), SMALL_VALUES, max_size=2)),
    "extra": SMALL_VALUES,
}


def _mostly(valid: st.SearchStrategy[Any], wild: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Valid nine times in ten, so most rows reach the fast path and a few fields go astray."""
    return st.integers(0, 9).flatmap(lambda pick: valid if pick < 9 else wild)


def _usual(name: str) -> st.SearchStrategy[Any]:
    return st.just("u-1") if name.startswith("user") else st.just(None)


FIELDS = {name: _mostly(_usual(name), wild) for name, wild in FIELDS.items()}
VALID_IDS = st.sampled_from(["evt-1", "u-7", "s-1-2", "reports", "ünï cødé"])


def _reference(fields: dict[str, Any]) -> list[tuple[str, Any]] | None:
    try:
        return sorted(EventRow.model_validate(fields).__dict__.items())
    except pydantic.ValidationError:
        return None


def _fast(fields: dict[str, Any]) -> list[tuple[str, Any]] | None:
    fast = fast_event(fields)
    return None if fast is None else sorted(fast.items())


@settings(max_examples=600, deadline=None)
@given(st.fixed_dictionaries({"event_id": _mostly(VALID_IDS, IDS), "event_type": _mostly(st.just("login"), EVENT_TYPES),
                              "occurred_at": _mostly(st.just("2025-02-03T04:05:06Z"), TIMESTAMPS)},
                              optional=FIELDS))  # fmt: skip
def test_fast_path_agrees_with_event_row(fields: dict[str, Any]) -> None:
    fast = _fast(fields)
    if fast is not None:
        # repr: "1" must not pass for 1, nor an int for a float
        assert repr(fast) == repr(_reference(fields))


def test_fast_path_takes_the_usual_rows() -> None:
    rows: list[dict[str, Any]] = [
        {"event_id": "evt-1", "client_external_id": "ORG-1", "user_id": "u-1", "event_type": "feature_use",
         "occurred_at": "2025-01-01T14:23:11Z", "session_id": "s-1", "duration_seconds": 30, "feature": "reports",
         "properties": {"source": "web"}},
        {"event_id": "evt-2", "client_id": 7, "user_ref": "u-2", "event_type": "login",
         "timestamp": "2025-01-01 08:00"},
        {"event_id": "evt-3", "client": "Acme Corp", "user": "u-3", "event_type": "page_view",
         "occurred_at": "2025-01-01T08:00:00+02:00", "feature_key": None, "session_id": None},
    ]  # fmt: skip
    for fields in rows:
        fast = _fast(fields)
        assert fast is not None
        assert repr(fast) == repr(_reference(fields))


def test_fast_path_leaves_conversions_and_errors_to_event_row() -> None:
    base: dict[str, Any] = {
        "event_id": "evt-1", "client_id": 1, "user_id": "u", "event_type": "login", "occurred_at": "2025-01-01",
    }  # fmt: skip
    changes: list[dict[str, Any]] = [
        {"event_id": 42}, {"event_id": " evt-1"}, {"event_type": "LOGIN"}, {"duration_seconds": "30"},
        {"duration_seconds": -1}, {"client_id": True}, {"properties": '{"a": 1}'}, {"user_id": "a\x1fb"},
        {"occurred_at": "1970-01-01T00:00:00Z"}, {"user_id": None}, {"event_type": {"login": 1}},
    ]  # fmt: skip
    assert fast_event(base) is not None
    for change in changes:
        assert fast_event({**base, **change}) is None, change
