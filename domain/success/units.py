"""Unit conversion for scorecard values: only pairs whose meaning cannot be mistaken convert.

A unit is read as `amount[/per]` (or `amount per per`). Two units convert when their `per` parts are
identical and their amounts belong to the same family:

- time: seconds, minutes, hours (1 h = 60 min = 3600 s). Days and weeks do not: a "day" may be a
  working day of 8 hours or a calendar day of 24.
- share: ratio (0..1) and percent (1% = 0.01).
- scale: the word "thousand(s)" or a standalone "k" multiplies by 1000, so "USD thousands" converts
  to "USD" and "k orders" to "orders".

Different `per` parts never convert ("hours/week" vs "hours/month" depends on the calendar), and any
other pair is refused with both units named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from domain.errors import ValidationError

SCALE_WORDS = {"thousand": Decimal(1000), "thousands": Decimal(1000), "k": Decimal(1000)}
FAMILIES: dict[str, tuple[str, Decimal]] = {
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), ("time", Decimal(1))),
    **dict.fromkeys(("min", "mins", "minute", "minutes"), ("time", Decimal(60))),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), ("time", Decimal(3600))),
    **dict.fromkeys(("ratio", "fraction"), ("share", Decimal(1))),
    **dict.fromkeys(("%", "percent", "pct", "percentage"), ("share", Decimal("0.01"))),
}
CONVERTIBLE = "minutes<->hours<->seconds, percent<->ratio and thousands<->ones, with the same '/per' part"
STORED_PLACES = Decimal("0.0001")  # the scale of the Numeric(16, 4) value columns


@dataclass(frozen=True, slots=True)
class ParsedUnit:
    family: str  # "time", "share", or the amount's own words for anything else
    factor: Decimal  # how many base units one of this unit is
    per: str


def normalise_unit(unit: str) -> str:
    """Lower case, single spaces, no spaces around '/': the form units are compared in."""
    text = re.sub(r"\s+", " ", unit.strip().lower())
    return re.sub(r"\s*/\s*", "/", text)


def parse_unit(unit: str) -> ParsedUnit:
    text = normalise_unit(unit)
    amount, _, per = text.partition("/")
    if not per and " per " in f" {amount} ":
        amount, _, per = amount.partition(" per ")
    words = amount.replace("(", " ").replace(")", " ").split()
    factor = Decimal(1)
    for word in [w for w in words if w in SCALE_WORDS]:
        factor *= SCALE_WORDS[word]
    rest = " ".join(w for w in words if w not in SCALE_WORDS)
    family, base = FAMILIES.get(rest, (rest, Decimal(1)))
    return ParsedUnit(family=family, factor=factor * base, per=per.strip())


def conversion_factor(from_unit: str, to_unit: str) -> Decimal:
    """The multiplier taking a value in `from_unit` to `to_unit`; ValidationError when they do not convert."""
    if normalise_unit(from_unit) == normalise_unit(to_unit):
        return Decimal(1)
    source, target = parse_unit(from_unit), parse_unit(to_unit)
    if source.family != target.family or source.per != target.per or not source.family:
        raise ValidationError(
            f"cannot convert {from_unit.strip()!r} to {to_unit.strip()!r}: only {CONVERTIBLE} convert; "
            f"enter the value in {to_unit.strip()!r}"
        )
    return source.factor / target.factor


def convert(value: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """`value` in `from_unit` expressed in `to_unit`, at the stored scale of 4 decimal places."""
    return (value * conversion_factor(from_unit, to_unit)).quantize(STORED_PLACES)
