"""Parse spreadsheet cells into values, with errors a person can fix ("not a date: '2026-13-01'")."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import TypeVar

from dateutil import parser as date_parser
from email_validator import EmailNotValidError, validate_email

E = TypeVar("E", bound=Enum)

_ISO_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}([T ].*)?$")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_TRUE = frozenset({"true", "yes", "y", "1", "x"})
_FALSE = frozenset({"false", "no", "n", "0"})
MAX_AMOUNT = Decimal("999999999999.99")  # Numeric(14, 2)


def parse_date(text: str) -> dt.date:
    """ISO 8601 (2026-03-01), US month/day/year (3/1/2026) or with a month name (Mar 1, 2026).

    Other all-digit forms (01.03.2026, 2026/03/01) are refused rather than guessed: a renewal date
    read the wrong way round is worse than a rejected row.
    """
    value = text.strip()
    try:
        if _ISO_DATE.match(value):
            year, month, day = (int(part) for part in re.split(r"[T ]", value, maxsplit=1)[0].split("-"))
            return dt.date(year, month, day)
        us_date = _US_DATE.match(value)
        if us_date:
            month, day, year = (int(part) for part in us_date.groups())
            return dt.date(year, month, day)
        if re.search(r"[A-Za-z]{3}", value):
            return date_parser.parse(value).date()
    except (ValueError, OverflowError):
        pass
    raise ValueError(f"not a date: {text!r}")


def parse_amount(text: str) -> Decimal:
    """A non-negative amount of money: '$50,000', '50000.00'."""
    cleaned = text.strip().replace(",", "").replace("$", "").replace(" ", "")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"not an amount: {text!r}") from None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise ValueError(f"not an amount between 0 and {MAX_AMOUNT:,}: {text!r}")
    return amount.quantize(Decimal("0.01"))


def parse_count(text: str) -> int:
    """A whole number >= 0: '1,200'."""
    cleaned = text.strip().replace(",", "")
    if not cleaned.isdigit():
        raise ValueError(f"not a whole number >= 0: {text!r}")
    return int(cleaned)


def parse_list(text: str) -> list[str]:
    """Items separated by ';' or '|' (or ',' when neither is used)."""
    separator = ";" if ";" in text else "|" if "|" in text else ","
    return [item.strip() for item in text.split(separator) if item.strip()]


def parse_flag(text: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"not yes or no: {text!r}")


def parse_email(text: str) -> str:
    """A syntactically valid email address, lower-cased (emails match regardless of case)."""
    try:
        # Syntax only: importing must not hit DNS, and internal or test domains are real enough here.
        checked = validate_email(
            text.strip(), check_deliverability=False, globally_deliverable=False, test_environment=True
        )
        return checked.normalized.lower()
    except EmailNotValidError:
        raise ValueError(f"not an email address: {text!r}") from None


def parse_choice(text: str, choices: type[E], label: str) -> E:
    """An enum member by value or name, ignoring case, spaces and hyphens ('Executive Sponsor')."""
    key = "_".join(text.strip().replace("-", " ").split()).upper()
    for member in choices:
        if key in (str(member.value).upper(), member.name):
            return member
    expected = ", ".join(str(member.value) for member in choices)
    raise ValueError(f"not a {label}: {text!r} (expected one of {expected})")
