"""The groundedness post-check: every number an answer states must come from a tool result of the same turn.

The offline planner is grounded by construction (its answers are templates over tool results); answers written
by a language model are checked here, and the reply carries a visible note listing any figure no tool result
supports. The check is deliberately tolerant of presentation, strict about values:

- a number matches a result value when they agree at the precision shown: 41.2 matches 41.23, 41 matches 40.6;
- percentages match fractions and percentages: 61% and 61.3% match 0.613, 61% matches 61.3;
- money matches at its scale: $120K matches 120000 and "119850.00", $1.2M matches 1234567;
- signs are ignored ("dropped 5.2 points" matches a change of -5.2); counts match the length of a result list;
- dates match dates in the results (any ISO date or datetime, or a written date inside a result string);
  a date without a year matches on month and day, a bare year matches the year of any result date;
- numbers in the user's own question are allowed, and numbered-list markers ("1.") are not figures.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import BaseMessage, HumanMessage, ToolMessage

UNVERIFIED_NOTE = "unverified numbers: {numbers} (not found in this turn's tool results)"

_MONTH = (
    r"(?P<{name}>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ISO = re.compile(
    r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:[T ](?P<hh>\d{2}):(?P<mm>\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?!\d)"
)
_MONTH_DAY = re.compile(
    _MONTH.format(name="mon") + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{4})\b)?", re.IGNORECASE
)
_DAY_MONTH = re.compile(
    r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH.format(name="mon") + r"(?:,?\s+(?P<y>\d{4})\b)?",
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(r"\b" + _MONTH.format(name="mon") + r",?\s+(?P<y>\d{4})\b", re.IGNORECASE)
_SLASHED = re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})(?![\d/])")
_TIME = re.compile(r"(?<![\d:])(?P<hh>\d{1,2}):(?P<mm>\d{2})(?::\d{2})?(?:\s?(?P<ampm>[ap])\.?m\.?)?(?![\d:])", re.I)
_NOISE = re.compile(r"https?://\S+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")  # URLs and email addresses are not figures
_LIST_MARKER = re.compile(r"^(\s*)\d{1,3}[.)](?=\s)", re.MULTILINE)
_NUMBER = re.compile(
    r"(?<![\w.])(?P<money>\$\s?)?"
    r"(?P<value>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:(?P<letter>[kKmMbB])\b|\s?(?P<word>thousand|million|billion|bn)\b)?"
    r"(?P<percent>\s?%|\s?percent\b)?"
)
_SCALES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9}


@dataclass(frozen=True)
class _Date:
    year: int | None
    month: int
    day: int | None

    def within(self, known: Iterable[_Date]) -> bool:
        """Supported by a known date: same month, same day if this one has a day, same year if both have one."""
        return any(
            date.month == self.month
            and (self.day is None or date.day == self.day)
            and (self.year is None or date.year is None or date.year == self.year)
            for date in known
        )


@dataclass
class _Evidence:
    """What the turn's tool results (and the question) support: numbers, dates and times of day."""

    numbers: set[float] = field(default_factory=set)
    dates: set[_Date] = field(default_factory=set)
    times: set[tuple[int, int]] = field(default_factory=set)

    def add(self, value: Any) -> None:
        if isinstance(value, bool) or value is None:
            return
        if isinstance(value, int | float):
            if math.isfinite(value):
                self.numbers.add(abs(float(value)))
        elif isinstance(value, str):
            self.add_text(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                self.add_text(str(key))  # keys name periods too: probability_90d
                self.add(item)
        elif isinstance(value, list | tuple):
            self.numbers.add(float(len(value)))  # "3 open alerts" counts a list
            for item in value:
                self.add(item)

    def add_text(self, text: str) -> None:
        text = text.replace("_", " ")  # identifiers carry numbers too: probability_90d, prior_30d
        spans = []
        for date, span in _dates(text):
            spans.append(span)
            self.dates.add(date)
        self.times.update((int(iso["hh"]), int(iso["mm"])) for iso in _ISO.finditer(text) if iso["hh"] is not None)
        rest = _blank(text, spans)
        for time, span in _times(rest):
            self.times.add(time)
            rest = _blank(rest, [span])
        for _, values in _numbers(rest):
            self.numbers.update(abs(value) for value, _ in values)


def ungrounded_numbers(answer: str, tool_results: Sequence[Any], *, allowed_text: Sequence[str] = ()) -> list[str]:
    """The figures in `answer` that no tool result (and no text in `allowed_text`, e.g. the question) supports,
    as written in the answer, in order, without repeats. An empty list means the answer is grounded."""
    evidence = _Evidence()
    for result in tool_results:
        evidence.add(result)
    for text in allowed_text:
        evidence.add_text(text)
    years = {float(date.year) for date in evidence.dates if date.year is not None}
    found: list[str] = []
    rest = _NOISE.sub(lambda match: " " * len(match.group()), answer)
    rest = _LIST_MARKER.sub(lambda match: match.group(1) + " " * (len(match.group()) - len(match.group(1))), rest)
    spans = []
    for date, span in _dates(rest):
        spans.append(span)
        if not date.within(evidence.dates):
            found.append(answer[span[0] : span[1]].strip())
    rest = _blank(rest, spans)
    for time, span in _times(rest):
        if not _time_known(time, evidence.times):
            found.append(answer[span[0] : span[1]].strip())
        rest = _blank(rest, [span])
    for token, values in _numbers(rest):
        if not any(_close(value, tolerance, evidence.numbers | years) for value, tolerance in values):
            found.append(token)
    return list(dict.fromkeys(found))


def turn_evidence(messages: Sequence[BaseMessage]) -> tuple[list[Any], list[str]]:
    """The tool results (parsed JSON payloads, errors included) and the user's words among a turn's messages."""
    results: list[Any] = []
    for message in messages:
        if isinstance(message, ToolMessage):
            try:
                results.append(json.loads(str(message.content)))
            except ValueError:
                results.append(str(message.content))
    questions = [str(message.content) for message in messages if isinstance(message, HumanMessage)]
    return results, questions


def grounding_notes(answer: str, messages: Sequence[BaseMessage]) -> list[str]:
    """A reply note naming the answer's unverified figures, or nothing when every figure is grounded."""
    results, questions = turn_evidence(messages)
    unverified = ungrounded_numbers(answer, results, allowed_text=questions)
    return [UNVERIFIED_NOTE.format(numbers=", ".join(unverified))] if unverified else []


def _dates(text: str) -> Iterator[tuple[_Date, tuple[int, int]]]:
    """Dates written in `text` with their spans; a span already taken by an earlier pattern is not read twice."""
    taken: list[tuple[int, int]] = []

    def free(span: tuple[int, int]) -> bool:
        return all(span[1] <= start or span[0] >= end for start, end in taken)

    for match in _ISO.finditer(text):
        taken.append(match.span())
        yield _Date(int(match["y"]), int(match["m"]), int(match["d"])), match.span()
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        for match in pattern.finditer(text):
            if free(match.span()) and 1 <= int(match["d"]) <= 31:
                taken.append(match.span())
                year = int(match["y"]) if match["y"] else None
                yield _Date(year, _month(match["mon"]), int(match["d"])), match.span()
    for match in _MONTH_YEAR.finditer(text):
        if free(match.span()):
            taken.append(match.span())
            yield _Date(int(match["y"]), _month(match["mon"]), None), match.span()
    for match in _SLASHED.finditer(text):
        if free(match.span()):
            taken.append(match.span())
            first, second, year = int(match["a"]), int(match["b"]), int(match["y"])
            month, day = (first, second) if first <= 12 else (second, first)  # US order unless impossible
            if 1 <= month <= 12:
                yield _Date(year, month, day), match.span()


def _times(text: str) -> Iterator[tuple[tuple[int, int], tuple[int, int]]]:
    for match in _TIME.finditer(text):
        hour, minute = int(match["hh"]), int(match["mm"])
        if hour > 23 or minute > 59:
            continue
        if match["ampm"]:
            hour = hour % 12 + (12 if match["ampm"].lower() == "p" else 0)
        yield (hour, minute), match.span()


def _time_known(time: tuple[int, int], known: set[tuple[int, int]]) -> bool:
    return time in known or (time[0] % 12, time[1]) in {(hour % 12, minute) for hour, minute in known}


def _numbers(text: str) -> Iterator[tuple[str, list[tuple[float, float]]]]:
    """Each figure in `text`, as written, with the values it may stand for and the tolerance its precision implies."""
    for match in _NUMBER.finditer(text):
        raw = match["value"].replace(",", "")
        value = float(raw)
        decimals = len(raw.partition(".")[2])
        tolerance = 0.5 * 10.0**-decimals
        readings: list[tuple[float, float]]
        if match["percent"]:
            readings = [(value, tolerance), (value / 100, tolerance / 100)]
        elif match["letter"] or match["word"]:
            scale_name = (match["letter"] or match["word"]).lower()
            scale = _SCALES[scale_name]
            readings = [(value * scale, tolerance * scale)]
            if match["letter"] and match["letter"].islower() and not match["money"]:
                readings.append((value, tolerance))  # "30m" may be minutes
        else:
            readings = [(value, tolerance)]
            if 0 < value < 1 and not match["money"]:
                readings.append((value * 100, tolerance * 100))  # 0.61 for a result stated in percent
        yield match.group().strip(), readings


def _close(value: float, tolerance: float, known: set[float]) -> bool:
    return any(abs(number - value) <= tolerance + 1e-9 * max(1.0, number) for number in known)


def _month(name: str) -> int:
    return _MONTHS.index(name[:3].lower()) + 1


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """`text` with the spans replaced by spaces (offsets unchanged)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)
