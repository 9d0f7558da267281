"""Slot extraction from a message: client mentions, pronouns, dates, numbers, durations, keyword choices."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz

from agent.offline.vocabulary import COMMON_WORD_NAMES, ClientName, Vocabulary

PRONOUNS = re.compile(
    r"\b(they|them|their|theirs|it|its|this client|that client|this account|that account|he|she|him|her)\b"
)
WORD = re.compile(r"[a-z0-9&']+")


@dataclass(frozen=True, slots=True)
class ClientMention:
    """What the message says about which client: one match, several, or only a pronoun."""

    matches: tuple[ClientName, ...]
    typed: str  # the words as typed, for clients outside the portfolio
    pronoun: bool


def find_client_mention(text: str, vocabulary: Vocabulary) -> ClientMention:
    """The clients a message names. A word that several clients' names share ("johnson", "ochoa") names all of
    them, so the planner asks which; a typo is matched only when no name is written out exactly."""
    words = WORD.findall(mask_people(text.lower(), vocabulary))
    lowered = " ".join(words)  # "Rose-Ochoa" and "Trujillo, Irwin and Cooper" as their aliases are written
    pronoun = bool(PRONOUNS.search(lowered))
    exact: dict[int, tuple[float, ClientName, str]] = {}
    for client in vocabulary.clients:
        for alias in client.aliases:
            if re.search(rf"(?<![a-z0-9]){re.escape(alias)}(?![a-z0-9])", lowered):
                score = 100.0 + len(alias)
                if score > exact.get(client.id, (0.0, client, ""))[0]:
                    exact[client.id] = (score, client, alias)
    tokens = vocabulary.name_tokens()
    if exact:
        best = max(score for score, _, _ in exact.values())
        top = [(client, span) for score, client, span in exact.values() if best - score < 2]
        span = top[0][1]
        if " " not in span:  # one word: every visible client whose name has that word is meant as much
            shared = [client for client in tokens.get(span, ()) if client.id not in {c.id for c, _ in top}]
            if shared:
                visible = [client for client, _ in top if client.visible] + shared
                return ClientMention(tuple(visible), span, pronoun)
        return ClientMention(tuple(client for client, _ in top), span, pronoun)
    hits: dict[int, ClientName] = {}
    typed = ""
    for word in words:
        for client in tokens.get(word, ()):
            hits[client.id] = client
            typed = typed or word
    if hits:
        return ClientMention(tuple(hits.values()), typed, pronoun)
    fuzzy: dict[int, tuple[float, ClientName, str]] = {}
    for client in vocabulary.clients:
        if not client.visible:
            continue
        for alias in client.aliases:
            score, span = _fuzzy_score(alias, words)
            if score > fuzzy.get(client.id, (0.0, client, ""))[0]:
                fuzzy[client.id] = (score, client, span)
    if not fuzzy:
        return ClientMention((), "", pronoun)
    best = max(score for score, _, _ in fuzzy.values())
    # several names about as close as the best: ambiguous, never a silent jump to one of them
    top = [(client, span) for score, client, span in fuzzy.values() if best - score < 4]
    return ClientMention(tuple(client for client, _ in top), top[0][1], pronoun)


def _fuzzy_score(alias: str, words: list[str]) -> tuple[float, str]:
    if len(alias) < 4:
        return 0.0, ""
    size = len(alias.split())
    best, span = 0.0, ""
    for start in range(len(words) - size + 1):
        window = " ".join(words[start : start + size]).removesuffix("'s")
        if size == 1 and len(window) < 4:
            continue
        score = fuzz.ratio(alias, window)
        if score > best:
            best, span = score, window
    return (best, span) if best >= 84 else (0.0, "")


def mask_people(lowered: str, vocabulary: Vocabulary) -> str:
    """Blank out full names of contacts and staff, so "mike johnson" is a person and not Johnson and Sons."""
    for name in vocabulary.people():
        if name in lowered:
            lowered = re.sub(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", " ", lowered)
    return lowered


@dataclass(frozen=True, slots=True)
class ContactMention:
    """Contacts a message names: by full name, or by a first name that may fit several people."""

    contacts: tuple[tuple[int, str], ...]  # (client id, contact name)
    by_full_name: bool


def find_contact_mention(text: str, vocabulary: Vocabulary, client_id: int | None = None) -> ContactMention:
    """Contacts named in the text (of one client when client_id is given). A full name wins over first names;
    a first name that is also an ordinary word ("mark", "grant") is not taken for a person."""
    lowered = text.lower()
    words = set(WORD.findall(lowered))
    scope = {client_id: vocabulary.contacts.get(client_id, [])} if client_id is not None else vocabulary.contacts
    full: list[tuple[int, str]] = []
    first: list[tuple[int, str]] = []
    for cid, contacts in scope.items():
        for _, name in contacts:
            lowered_name = name.lower()
            if re.search(rf"(?<![a-z]){re.escape(lowered_name)}(?![a-z])", lowered):
                full.append((cid, name))
            elif (given := lowered_name.split()[0]) in words and given not in COMMON_WORD_NAMES:
                first.append((cid, name))
    if full:
        taken = {name.lower().split()[0] for _, name in full}
        extra = [(cid, name) for cid, name in first if name.lower().split()[0] not in taken]
        return ContactMention(tuple(dict.fromkeys(full + extra)), True)
    return ContactMention(tuple(dict.fromkeys(first)), False)


_DATE_PHRASES = re.compile(
    r"\b(today|tonight|this morning|this afternoon|yesterday|tomorrow|"
    r"(?:last|next|this|on) (?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*|"
    r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*day|"
    r"\d+ (?:days?|weeks?|months?) ago|in \d+ (?:days?|weeks?|months?)|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]* \d{1,2}(?:st|nd|rd|th)?(?:,? \d{4})?|"
    r"\d{1,2}(?:st|nd|rd|th)? (?:of )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*(?: \d{4})?|"
    r"\d{4}-\d{2}-\d{2}|next week|next month|end of (?:the )?(?:month|quarter|year)|"
    r"(?:the )?end of (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*|"
    r"(?:end of )?q[1-4](?: \d{4})?)\b"
)


@dataclass(frozen=True, slots=True)
class DateMention:
    phrase: str
    value: dt.date
    start: int


# Chat shorthand for dates, spelled out before the phrases are looked for (same length is not needed: the
# positions returned are only compared with each other).
_DATE_SHORTHAND = (
    (r"\b(?:yday|yest|ystd|ytd)\b", "yesterday"),
    (r"\b(?:tmrw|tmr|tmrow|tomorow|2morrow|tomoz)\b", "tomorrow"),
    (r"\b(?:tdy|2day)\b", "today"),
    (r"\b(?:wks?)\b", "weeks"),
)


def expand_shorthand(text: str) -> str:
    lowered = text.lower()
    for pattern, word in _DATE_SHORTHAND:
        lowered = re.sub(pattern, word, lowered)
    return lowered


_ISO_LIKE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_MONTH_DAY = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? (\d{1,2})(?:st|nd|rd|th)?\b(?:,? (\d{4}))?"
    r"|\b(\d{1,2})(?:st|nd|rd|th)? (?:of )?(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*(?: (\d{4}))?"
)


def invalid_dates(text: str, as_of: dt.date) -> list[str]:
    """Date phrases that name no real day ("2026-13-45", "feb 30"): they are asked about, never guessed at."""
    lowered = text.lower()
    bad = [match.group(0) for match in _ISO_LIKE.finditer(lowered) if not _real(*map(int, match.groups()))]
    for match in _MONTH_DAY.finditer(lowered):
        month_word, day, year = (
            (match.group(1), match.group(2), match.group(3)) if match.group(1) else match.group(5, 4, 6)
        )
        month = _month_number(month_word)
        if month is None:
            continue
        year_value = int(year) if year else (as_of.year if month != 2 or int(day) != 29 else _leap_year(as_of.year))
        if not _real(year_value, month, int(day)):
            bad.append(match.group(0))
    return bad


def _real(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _leap_year(year: int) -> int:
    while not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        year += 1
    return year


def find_dates(text: str, as_of: dt.date, *, prefer: str = "past") -> list[DateMention]:
    """Every date phrase in the text, resolved relative to as_of ("yesterday", "next tuesday", "dec 3").
    A phrase that names no real day is left out (see invalid_dates), never read another way round."""
    mentions = []
    base = dt.datetime.combine(as_of, dt.time(12))
    invalid = invalid_dates(text, as_of)
    for match in _DATE_PHRASES.finditer(expand_shorthand(text)):
        phrase = match.group(0)
        if any(phrase in bad or bad in phrase for bad in invalid):
            continue
        value = _resolve(phrase, as_of, base, prefer)
        if (
            value is not None
            and prefer == "future"
            and value < as_of
            and not re.search(r"\d{4}|ago|yesterday|last", phrase)
        ):
            value = _next_year(value)  # "by march 1" said in November means next March
        if value is not None:
            mentions.append(DateMention(phrase, value, match.start()))
    return mentions


def _resolve(phrase: str, as_of: dt.date, base: dt.datetime, prefer: str) -> dt.date | None:
    if phrase in ("this morning", "this afternoon", "tonight"):
        return as_of
    quarter = re.fullmatch(r"(?:end of )?q([1-4])(?: (\d{4}))?", phrase)
    if quarter:
        year = int(quarter.group(2) or as_of.year)
        end = dt.date(year, int(quarter.group(1)) * 3, 1) + dt.timedelta(days=31)
        return end.replace(day=1) - dt.timedelta(days=1)
    month_end = re.fullmatch(r"(?:the )?end of ([a-z]+)", phrase)
    if month_end and month_end.group(1) not in ("the", "month", "quarter", "year"):
        month = _month_number(month_end.group(1))
        if month is None:
            return None
        first = dt.date(as_of.year, month, 1)
        return (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
    if phrase.startswith(("end of", "the end of")):
        return _end_of(phrase, as_of)
    # A tenth of a second to import: only for the dates the patterns above do not read.
    import dateparser  # type: ignore[import-untyped]

    cleaned = re.sub(r"^(on|this) ", "", phrase)
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "future" if phrase.startswith(("next", "in ")) else prefer}
    parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)
    return parsed.date() if parsed else None


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _month_number(word: str) -> int | None:
    return next((index for index, prefix in enumerate(_MONTHS, start=1) if word.startswith(prefix)), None)


def _next_year(value: dt.date) -> dt.date:
    try:
        return value.replace(year=value.year + 1)
    except ValueError:  # 29 February
        return value.replace(year=value.year + 1, day=28)


def _end_of(phrase: str, as_of: dt.date) -> dt.date:
    if "year" in phrase:
        return dt.date(as_of.year, 12, 31)
    if "quarter" in phrase:
        quarter_end_month = ((as_of.month - 1) // 3 + 1) * 3
        return (dt.date(as_of.year, quarter_end_month, 1) + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
    return (as_of.replace(day=1) + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)


NUMBER = re.compile(r"(?<![\w.])(-?\d+(?:\.\d+)?)(?![\w.])")


def numbers(text: str) -> list[float]:
    return [float(value) for value in NUMBER.findall(text.replace(",", ""))]


def duration_minutes(text: str) -> int | None:
    match = re.search(r"(\d+(?:\.\d+)?)\s*(h|hr|hrs|hour|hours|m|min|mins|minute|minutes)\b", text.lower())
    if not match:
        return None
    value = float(match.group(1))
    return round(value * 60) if match.group(2).startswith("h") else round(value)


def keyword_choice(text: str, table: Mapping[str, Iterable[str]]) -> str | None:
    """The first option whose keywords appear in the text (table order is priority order)."""
    lowered = text.lower()
    for option, keywords in table.items():
        if any(re.search(rf"(?<![a-z]){re.escape(keyword)}", lowered) for keyword in keywords):
            return option
    return None


def after_colon(text: str) -> str | None:
    """The free text after the first colon ("add a note to acme: they are evaluating competitors")."""
    if ":" not in text:
        return None
    tail = text.split(":", 1)[1].strip()
    return tail or None


def quoted(text: str) -> str | None:
    match = re.search(r"[\"“']([^\"”']{3,})[\"”']", text)
    return match.group(1).strip() if match else None
