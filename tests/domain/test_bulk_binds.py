"""The bulk loaders' fast bind processors store exactly what SQLAlchemy's own would, and parse JSON like json."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, cast

import pytest
from sqlalchemy import Dialect, Table
from sqlalchemy.dialects import postgresql, sqlite

from domain.ingest.sources import parse_json_line
from domain.usage.bind_values import bind_processor
from domain.usage.models import EngagementEvent, UsageRollup

EVENTS = cast(Table, EngagementEvent.__table__)
ROLLUPS = cast(Table, UsageRollup.__table__)
BERLIN = dt.timezone(dt.timedelta(hours=2))
DIALECTS: list[Dialect] = [sqlite.dialect(), postgresql.psycopg.dialect()]  # type: ignore[no-untyped-call]
SAMPLES: dict[str, list[Any]] = {
    "occurred_at": [
        dt.datetime(2025, 1, 1, 14, 23, 11, tzinfo=dt.UTC),
        dt.datetime(2025, 3, 4, 1, 2, 3, 456789, tzinfo=BERLIN),  # converted to UTC first
        dt.datetime(2099, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC),
        None,
    ],
    "occurred_on": [dt.date(2025, 1, 1), dt.date(2000, 2, 29), dt.datetime(2025, 5, 6, 7, 8, tzinfo=dt.UTC), None],
    "properties": [None, {}, {"source": "web", "n": 3, "nested": {"ok": [1, 2.5]}}, {"é": "ü"}],
}
ROLLUP_SAMPLES: dict[str, list[Any]] = {"feature_counts": [{}, {"reports": 4}], "logins_by_weekday": [{"mon": 2}, {}]}


def _original(table: Table, column: str, dialect: Dialect) -> Any:
    return table.c[column].type.dialect_impl(dialect).bind_processor(dialect)


@pytest.mark.parametrize("dialect", DIALECTS, ids=["sqlite", "postgresql"])
def test_fast_binders_match_sqlalchemy(dialect: Dialect) -> None:
    for table, samples in ((EVENTS, SAMPLES), (ROLLUPS, ROLLUP_SAMPLES)):
        for column, values in samples.items():
            fast, original = bind_processor(table.c[column].type, dialect), _original(table, column, dialect)
            if original is None:
                assert fast is None
                continue
            assert fast is not None
            # repr: psycopg's Json wrappers do not compare equal, and "1" must not pass for 1
            assert [repr(fast(value)) for value in values] == [repr(original(value)) for value in values], column


def test_fast_binders_raise_what_sqlalchemy_raises() -> None:
    dialect = sqlite.dialect()
    fast = bind_processor(EVENTS.c.occurred_at.type, dialect)
    assert fast is not None
    with pytest.raises(ValueError, match="naive datetime"):
        fast(dt.datetime(2025, 1, 1))
    fast_day = bind_processor(EVENTS.c.occurred_on.type, dialect)
    assert fast_day is not None
    with pytest.raises(TypeError):
        fast_day("2025-01-01")


@pytest.mark.parametrize(
    "line",
    [
        b'{"event_id": "e1", "duration_seconds": 12, "properties": {"a": [1, {"b": null}]}}',
        b'{"big": 123456789012345678901234567890, "nested": {"x": [99999999999999999999999]}}',  # beyond 64 bits
        b'{"ratio": 0.1, "huge": 1e400, "nan": NaN}',  # json reads what orjson refuses
        b'{"a": 1, "a": 2}',
        b'{"surrogate": "\\ud800"}',
        b"[1, 2]",
        b"  {}  \r\n",
    ],
)
def test_json_lines_parse_exactly_like_json(line: bytes) -> None:
    expected = json.loads(line.decode("utf-8"))
    parsed = parse_json_line(line)
    assert repr(parsed) == repr(expected)  # repr: nan != nan, and ints must stay ints


@pytest.mark.parametrize("line", [b'{"event_id": "evt-2", ', b"{'single': 1}", b'{"a": 1} x', b"\xff\xfe{}"])
def test_json_lines_fail_with_json_errors(line: bytes) -> None:
    with pytest.raises(ValueError, match=r".") as parsed_error:
        parse_json_line(line)
    with pytest.raises(ValueError, match=r".") as expected_error:
        json.loads(line.decode("utf-8"))
    assert type(parsed_error.value) is type(expected_error.value)
    assert str(parsed_error.value) == str(expected_error.value)
