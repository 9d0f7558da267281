"""Pure rules of the success layer: progress both ways, status against the calendar, units, gating."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from domain.enums import LifecycleStatus, MetricDirection
from domain.errors import ValidationError
from domain.success import rules
from domain.success.rules import OutcomeStatus
from domain.success.units import conversion_factor, convert, parse_unit

HIGHER, LOWER = MetricDirection.HIGHER_IS_BETTER, MetricDirection.LOWER_IS_BETTER
D = Decimal


@pytest.mark.parametrize(
    ("direction", "baseline", "latest", "target", "expected"),
    [
        (HIGHER, "100", "150", "200", 0.5),
        (HIGHER, "100", "200", "200", 1.0),
        (HIGHER, "100", "250", "200", 1.5),  # past the target: raw keeps the overshoot
        (HIGHER, "100", "80", "200", -0.2),  # worse than the baseline
        (LOWER, "10", "8", "2", 0.25),  # the same formula: -2 / -8
        (LOWER, "32", "19", "8", 13 / 24),
        (LOWER, "10", "12", "2", -0.25),
        (LOWER, "10", "1", "2", 1.125),
    ],
)
def test_raw_progress_same_formula_both_directions(
    direction: MetricDirection, baseline: str, latest: str, target: str, expected: float
) -> None:
    assert rules.raw_progress(direction, D(baseline), D(latest), D(target)) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("direction", "baseline", "latest", "expected"),
    [(LOWER, "1", "1.5", 1.0), (LOWER, "1", "3", 0.0), (HIGHER, "9", "9", 1.0), (HIGHER, "9", "4", 0.0)],
)
def test_baseline_already_at_target_has_no_distance_to_cover(
    direction: MetricDirection, baseline: str, latest: str, expected: float
) -> None:
    target = D("2") if direction is LOWER else D("5")
    assert rules.raw_progress(direction, D(baseline), D(latest), target) == expected


def test_clamp_keeps_progress_between_zero_and_one() -> None:
    assert [rules.clamp(v) for v in (-0.3, 0.4, 1.7)] == [0.0, 0.4, 1.0]


def test_meets_target_respects_direction() -> None:
    assert rules.meets_target(HIGHER, D(200), D(200))
    assert not rules.meets_target(HIGHER, D(199), D(200))
    assert rules.meets_target(LOWER, D(2), D(2))
    assert not rules.meets_target(LOWER, D("2.1"), D(2))


def test_expected_progress_is_elapsed_share_of_the_timeline() -> None:
    start, end = dt.date(2025, 1, 1), dt.date(2025, 1, 11)
    assert rules.expected_progress(start, end, dt.date(2025, 1, 6)) == 0.5
    assert rules.expected_progress(start, end, dt.date(2024, 12, 1)) == 0.0
    assert rules.expected_progress(start, end, dt.date(2025, 3, 1)) == 1.0


TARGET_DATE = dt.date(2025, 6, 30)


@pytest.mark.parametrize(
    ("progress", "achieved", "expected", "as_of", "status"),
    [
        (None, False, 0.5, dt.date(2025, 5, 1), OutcomeStatus.NO_DATA),
        (1.0, True, 0.5, dt.date(2025, 5, 1), OutcomeStatus.ACHIEVED),
        (0.40, False, 0.5, dt.date(2025, 5, 1), OutcomeStatus.ON_TRACK),
        (0.36, False, 0.5, dt.date(2025, 5, 1), OutcomeStatus.ON_TRACK),  # within the 0.15 margin
        (0.34, False, 0.5, dt.date(2025, 5, 1), OutcomeStatus.AT_RISK),
        (0.95, False, 1.0, dt.date(2025, 7, 1), OutcomeStatus.AT_RISK),  # the date has passed
        (0.95, False, 1.0, TARGET_DATE, OutcomeStatus.ON_TRACK),
    ],
)
def test_outcome_status(
    progress: float | None, achieved: bool, expected: float, as_of: dt.date, status: OutcomeStatus
) -> None:
    result = rules.outcome_status(
        progress=progress, achieved=achieved, expected=expected, target_date=TARGET_DATE, as_of=as_of
    )
    assert result is status


def test_change_between_is_signed_with_percent_of_baseline() -> None:
    change = rules.change_between(D(32), D(19))
    assert change.absolute == D(-13)
    assert change.percent == D("-40.6")
    assert rules.change_between(D(0), D(5)).percent is None
    assert rules.change_between(D(-10), D(-5)).percent == D("50.0")


def test_week_start_is_the_monday() -> None:
    assert rules.week_start(dt.date(2025, 3, 6)) == dt.date(2025, 3, 3)  # a Thursday
    assert rules.week_start(dt.date(2025, 3, 3)) == dt.date(2025, 3, 3)
    assert rules.week_start(dt.date(2025, 3, 9)) == dt.date(2025, 3, 3)  # Sunday ends the week


def test_plain_number() -> None:
    assert [rules.plain_number(D(v)) for v in ("19.0000", "21.5000", "4200", "-3.25")] == [
        "19",
        "21.5",
        "4,200",
        "-3.25",
    ]


def test_gate_names_the_client_and_its_status() -> None:
    for status in (LifecycleStatus.APPROVED, LifecycleStatus.BUILDING, LifecycleStatus.SHIPPED):
        assert rules.success_layer_refusal("Acme Corp", status) is None
    assert rules.success_layer_refusal("Acme Corp", LifecycleStatus.ACTIVE) == (
        "the client success layer is shown only while a client is APPROVED, BUILDING or SHIPPED; Acme Corp is ACTIVE"
    )


def test_target_must_improve_in_its_direction() -> None:
    assert rules.target_direction_problem(LOWER, D(10), D(2)) is None
    assert rules.target_direction_problem(HIGHER, D(10), D(20)) is None
    assert "below" in (rules.target_direction_problem(LOWER, D(10), D(12)) or "")
    assert "above" in (rules.target_direction_problem(HIGHER, D(10), D(5)) or "")
    assert "differ" in (rules.target_direction_problem(HIGHER, D(10), D(10)) or "")


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        ("90", "minutes", "hours", "1.5"),
        ("2", "hours", "minutes", "120"),
        ("90", "minutes/week", "hours / week", "1.5"),
        ("45", "min per week", "hours/week", "0.75"),
        ("120", "seconds", "minutes", "2"),
        ("1", "hr", "seconds", "3600"),
        ("42", "percent", "ratio", "0.42"),
        ("0.42", "ratio", "%", "42"),
        ("12", "USD thousands", "USD", "12000"),
        ("12000", "orders", "thousand orders", "12"),
        ("7", "Hours/Week", "hours/week", "7"),  # same unit, other spelling
        ("3", "tickets", "tickets", "3"),
    ],
)
def test_safe_unit_pairs_convert(value: str, source: str, target: str, expected: str) -> None:
    assert convert(D(value), source, target) == D(expected)


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("hours/week", "hours/month"),  # depends on the calendar
        ("days", "hours"),  # working day or calendar day?
        ("hours", "percent"),
        ("USD", "EUR"),
        ("k", "tickets"),
    ],
)
def test_other_unit_pairs_are_refused_naming_both(source: str, target: str) -> None:
    with pytest.raises(ValidationError) as raised:
        conversion_factor(source, target)
    assert repr(source) in str(raised.value)
    assert repr(target) in str(raised.value)


def test_parse_unit_reads_per_part() -> None:
    parsed = parse_unit("Minutes / Week")
    assert (parsed.family, parsed.factor, parsed.per) == ("time", D(60), "week")
