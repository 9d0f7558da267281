"""Pure timeline rules: which types a filter selects, word matching, date windows and the keyset cursor."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import string
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from domain.enums import (
    ActivityType,
    AlertType,
    InterventionKind,
    NoteType,
    SupportInteractionType,
    SurveyKind,
    TicketSeverity,
)
from domain.errors import ValidationError
from domain.timeline.schemas import TimelineEntry, TimelineKind

GROUPS = frozenset(kind.group for kind in TimelineKind)
KIND_VALUES = frozenset(kind.value for kind in TimelineKind)

# Groups whose entries carry a subtype a filter may name, as "activity:QBR" or "alert:health_drop".
SUBTYPES: dict[str, frozenset[str]] = {
    "activity": frozenset(item.value.upper() for item in ActivityType),
    "note": frozenset(item.value.upper() for item in NoteType),
    "alert": frozenset(item.value.upper() for item in AlertType),
    "survey": frozenset(item.value.upper() for item in SurveyKind),
    "intervention": frozenset(item.value.upper() for item in InterventionKind),
    "interaction": frozenset(item.value.upper() for item in SupportInteractionType),
    "ticket": frozenset(item.value.upper() for item in TicketSeverity),
}

# Words too common to rank by when a question is typed as a sentence ("what did Acme say about exports").
_STOPWORD_TEXT = """
a about an and any are as at be by did do does for from had has have how i in is it me my of on or our said say says so
that the their them there they this to us was we were what when where which who why with you your
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@dataclass(frozen=True, slots=True)
class Selector:
    kind: TimelineKind
    subtype: str | None = None  # upper-cased; None selects every entry of the kind


@dataclass(frozen=True, slots=True)
class TypeFilter:
    """The entries a `types` filter keeps; `selectors` None keeps everything."""

    selectors: frozenset[Selector] | None = None

    @property
    def kinds(self) -> frozenset[TimelineKind]:
        if self.selectors is None:
            return frozenset(TimelineKind)
        return frozenset(selector.kind for selector in self.selectors)

    def accepts(self, entry: TimelineEntry) -> bool:
        if self.selectors is None:
            return True
        subtype = entry.subtype.upper() if entry.subtype else None
        return Selector(entry.kind) in self.selectors or Selector(entry.kind, subtype) in self.selectors


def parse_types(values: Collection[str] | None) -> TypeFilter:
    """Read kinds ("ticket_opened"), groups ("ticket"), subtypes ("activity:QBR") and bare activity types."""
    if not values:
        return TypeFilter()
    selectors: set[Selector] = set()
    for raw in values:
        selectors.update(_selectors_for(raw.strip()))
    return TypeFilter(frozenset(selectors))


def _selectors_for(value: str) -> list[Selector]:
    lowered = value.lower()
    if lowered in KIND_VALUES:
        return [Selector(TimelineKind(lowered))]
    if lowered in GROUPS:
        return [Selector(kind) for kind in TimelineKind if kind.group == lowered]
    group, colon, subtype = lowered.partition(":")
    if not colon and value.upper() in SUBTYPES["activity"]:
        group, subtype = "activity", lowered  # "QBR" is what people type when they mean activity:QBR
    if subtype.upper() in SUBTYPES.get(group, frozenset()):
        return [Selector(kind, subtype.upper()) for kind in TimelineKind if kind.group == group]
    raise ValidationError(
        f"unknown timeline type {value!r}; use a group ({', '.join(sorted(GROUPS))}), a kind such as "
        "ticket_opened, a subtype such as alert:HEALTH_DROP, or an activity type such as QBR"
    )


def query_words(text: str | None) -> list[str]:
    """Case-folded words of a search, outer punctuation stripped, duplicates dropped, order kept."""
    words = (word.strip(string.punctuation).casefold() for word in (text or "").split())
    return list(dict.fromkeys(word for word in words if word))


def ranking_words(text: str) -> list[str]:
    """Words worth ranking by: stopwords dropped unless the query is nothing else."""
    words = query_words(text)
    meaningful = [word for word in words if word not in STOPWORDS]
    return meaningful or words


def searchable_text(entry: TimelineEntry) -> str:
    return f"{entry.title}\n{entry.body}".casefold()


def matches_all(entry: TimelineEntry, words: Iterable[str]) -> bool:
    """Every word appears in title or body, case-insensitively, as a substring."""
    text = searchable_text(entry)
    return all(word in text for word in words)


def matched_words(entry: TimelineEntry, words: Iterable[str]) -> list[str]:
    """The words found in the entry; a plural also counts when its singular appears ("exports" ~ "export")."""
    text = searchable_text(entry)
    return [word for word in words if word in text or (len(word) > 3 and word.endswith("s") and word[:-1] in text)]


def at_midnight(day: dt.date) -> dt.datetime:
    """Date-only events happen at the start of their day, UTC, so they order with timestamped ones."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def date_window(start: dt.date | None, end: dt.date | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Inclusive dates to [from, until) instants; refuses an end before the start."""
    if start is not None and end is not None and end < start:
        raise ValidationError(f"the end date {end} is before the start date {start}")
    return (
        at_midnight(start) if start else None,
        at_midnight(end + dt.timedelta(days=1)) if end else None,
    )


def in_window(entry: TimelineEntry, since: dt.datetime | None, until: dt.datetime | None) -> bool:
    return (since is None or entry.occurred_at >= since) and (until is None or entry.occurred_at < until)


@dataclass(frozen=True, slots=True)
class Position:
    """Where a page ended, in the timeline's order (occurred_at desc, entry_id desc)."""

    occurred_at: dt.datetime
    entry_id: str

    def precedes(self, entry: TimelineEntry) -> bool:
        """True when `entry` comes after this position, i.e. belongs on a later page."""
        return sort_key(entry) < (self.occurred_at, self.entry_id)


def sort_key(entry: TimelineEntry) -> tuple[dt.datetime, str]:
    return entry.occurred_at, entry.entry_id


def encode_cursor(entry: TimelineEntry) -> str:
    payload = json.dumps({"t": entry.occurred_at.isoformat(), "id": entry.entry_id}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> Position:
    """The position a cursor from `encode_cursor` names; anything else is refused."""
    try:
        padded = cursor.strip() + "=" * (-len(cursor.strip()) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
        occurred_at = dt.datetime.fromisoformat(payload["t"])
        entry_id = payload["id"]
        if occurred_at.tzinfo is None or not isinstance(entry_id, str):
            raise ValueError
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise ValidationError("invalid cursor: pass the next_cursor of the previous page unchanged") from None
    return Position(occurred_at.astimezone(dt.UTC), entry_id)
