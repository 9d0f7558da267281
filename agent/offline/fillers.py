"""Argument builders for read tools: turn a message (plus the conversation's last client) into tool args.

A builder returns a dict of arguments, or a Clarify with one question when something required is missing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from agent.offline.cues import DOMAIN_WORDS
from agent.offline.slots import (
    ClientMention,
    find_client_mention,
    find_contact_mention,
    find_dates,
    keyword_choice,
    numbers,
)
from agent.offline.vocabulary import (
    COMMON_WORD_NAMES,
    LEGAL_SUFFIXES,
    NAME_STOPWORDS,
    Vocabulary,
    ordinary_words,
    words,
)


@dataclass(frozen=True, slots=True)
class Clarify:
    question: str


@dataclass(frozen=True, slots=True)
class Message:
    """What a builder sees: the text, the date, names it may recognise, and the client talked about last."""

    text: str
    as_of: dt.date
    vocabulary: Vocabulary
    last_client: str | None
    last_staff: str | None = None  # the staff filter (email) of the thread's last call, for "his clients"
    topic: str = ""  # earlier messages of the thread, for what "it" was about

    @property
    def lowered(self) -> str:
        return self.text.lower()


Builder = Callable[[Message], dict[str, Any] | Clarify]


def client_arg(message: Message, *, required: bool = True) -> str | Clarify | None:
    """The client the message is about: a name, a contact's client, a pronoun for the last client, or a question."""
    mention: ClientMention = find_client_mention(message.text, message.vocabulary)
    if len(mention.matches) == 1:
        match = mention.matches[0]
        return match.name if match.visible else mention.typed or match.name
    if len(mention.matches) > 1:
        return Clarify(f"Which client do you mean: {_either(sorted(client.name for client in mention.matches))}?")
    by_contact = _client_of_contact(message)
    if by_contact is not None:
        return by_contact
    if not mention.pronoun and (typed := unknown_name(message)):
        return Clarify(not_found_question(typed, message.vocabulary))  # never silently the last client
    # In a thread, a request that needs a client and names none is about the client being discussed.
    if message.last_client and (required or mention.pronoun or _is_follow_up(message.lowered)):
        return message.last_client
    if not required and not mention.pronoun:
        return None
    return Clarify("Which client do you mean?")


# Where a client's name goes: "with X", "for X", "at X", "why is X dropping", "how is X doing".
_NAME_SLOT = re.compile(
    r"\b(?:with|w/|w|for|at|about|on)\s+(?=(?P<a>[a-z][a-z0-9&'-]{2,}(?:\s+[a-z][a-z0-9&'-]+)?))"
    r"|\b(?:why is|why's|whys|how is|how's|hows|what's up with|whats up with|is)\s+(?P<b>[a-z][a-z0-9&'-]{2,})\s+"
    r"(?:dropping|doing|down|slipping|declining|at risk|so|going|still|in trouble)\b"
)
_DATE_WORDS = words(
    "today tonight yesterday tomorrow morning afternoon evening week weeks month months year years quarter "
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun "
    "january february march april june july august september october november december jan feb mar apr jun "
    "jul aug sep sept oct nov dec"
)


def unknown_name(message: Message) -> str | None:
    """A word in a client's place that is no word the planner knows and no client's name ("a call with zorblax",
    "why is akme dropping"): what was typed, so the answer can say no client is called that."""
    known = ordinary_words() | DOMAIN_WORDS | _STOP | COMMON_WORD_NAMES | _DATE_WORDS
    people = {name.lower().split()[0] for contacts in message.vocabulary.contacts.values() for _, name in contacts}
    people |= {name.lower().split()[0] for _, name, _ in message.vocabulary.staff}
    for match in _NAME_SLOT.finditer(message.lowered):
        typed = (match.group("a") or match.group("b") or "").strip("'-")
        first, *rest = typed.split()
        word = first.removesuffix("'s")
        if len(word) < 4 or word in known or word in people or word.endswith(("ing", "ly", "ed")):
            continue
        if any(fuzz.ratio(word, other) >= 80 for other in known if abs(len(other) - len(word)) <= 2):
            continue  # a typo of an ordinary word ("acounts"), not a name
        if rest and rest[0] in LEGAL_SUFFIXES | NAME_STOPWORDS:
            return f"{word} {rest[0]}"
        return word
    return None


def not_found_question(typed: str, vocabulary: Vocabulary) -> str:
    """A name that is no client of yours: say so, suggest your own close names, and do not repeat what was typed
    (it may be a client of another portfolio or workspace, whose name an answer must not confirm)."""
    choices = {alias: client.name for client in vocabulary.clients if client.visible for alias in client.aliases}
    close = process.extract(typed, list(choices), scorer=fuzz.ratio, score_cutoff=70, limit=6)
    names = list(dict.fromkeys(choices[alias] for alias, _, _ in close))[:3]
    hint = f" Did you mean {_either(names)}?" if names else " Which client do you mean?"
    return f"I couldn't find a client by that name in your portfolio.{hint}"


def _is_follow_up(text: str) -> bool:
    # Short follow-ups with no client named ("and the churn risk?", "draft an email") continue the thread.
    return len(text.split()) <= 6


def _either(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _client_of_contact(message: Message) -> str | Clarify | None:
    """No client named, but a contact is ("log a call with sarah chen"): that contact's client, or a question
    when the name fits people at several clients."""
    found = find_contact_mention(message.text, message.vocabulary)
    if not found.contacts:
        return None
    names = {client.id: client.name for client in message.vocabulary.clients}
    clients = {cid for cid, _ in found.contacts}
    if message.last_client and any(names.get(cid) == message.last_client for cid in clients):
        return message.last_client  # "log a call with james" while talking about James's client
    if len(clients) == 1:
        return names.get(next(iter(clients)))
    people = sorted(f"{name} ({names.get(cid, '?')})" for cid, name in found.contacts)
    return Clarify(f"Which one do you mean: {_either(people)}? Tell me the client too.")


def with_client(build: Callable[[Message, str], dict[str, Any] | Clarify]) -> Builder:
    def builder(message: Message) -> dict[str, Any] | Clarify:
        client = client_arg(message)
        if isinstance(client, Clarify):
            return client
        assert client is not None
        return build(message, client)

    return builder


_UNITS = {"day": 1, "week": 7, "month": 30, "quarter": 91, "year": 365}
_NUMBER_WORDS = {
    "a": 1, "one": 1, "two": 2, "couple of": 2, "a couple of": 2, "few": 3, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12,
}  # fmt: skip
_WINDOW = re.compile(
    r"(\d+|" + "|".join(sorted(map(re.escape, _NUMBER_WORDS), key=len, reverse=True)) + r")[\s-]*"
    r"(days?|d|weeks?|wks?|w|months?|mos?|quarters?|qtrs?|years?|yrs?)\b"
)


def window_days(text: str) -> int | None:
    """An explicit window: "30 days", "2 wks", "next 3 months", "a couple of weeks"."""
    match = _WINDOW.search(text.lower())
    if not match:
        return None
    amount = match.group(1)
    count = int(amount) if amount.isdigit() else _NUMBER_WORDS[amount]
    unit = match.group(2)
    key = {"d": "day", "w": "week", "m": "month", "q": "quarter", "y": "year"}[unit[0]]
    return count * _UNITS[key]


def days_window(text: str, default: int = 30) -> int:
    lowered = text.lower()
    explicit = window_days(lowered)
    if explicit is not None:
        return explicit
    for phrase, days in (
        ("this week", 7),
        ("last week", 7),
        ("next week", 7),
        ("today", 1),
        ("this quarter", 90),
        ("next quarter", 90),
        ("quarter", 90),
        ("this month", 30),
        ("next month", 30),
        ("month", 30),
        ("year", 365),
    ):
        if phrase in lowered:
            return days
    return default


def staff_named(message: Message) -> str | None:
    """A staff member named in the message ("for john", "johns accounts", "priya's clients"), by email."""
    words = set(re.findall(r"[a-z]+", message.lowered))
    words |= {word[:-1] for word in words if word.endswith("s")}  # "johns book" is John's book
    for _, name, email in message.vocabulary.staff:
        first = name.split()[0].lower()
        if first in words or name.lower() in message.lowered:
            return email
    return None


def staff_arg(message: Message) -> str | None:
    """A staff member named in the message, by email; "his" or "her" clients keep the thread's staff member."""
    named = staff_named(message)
    if named:
        return named
    if message.last_staff and re.search(r"\b(his|her|their team's|same person)\b", message.lowered):
        return message.last_staff
    return None


def at_risk_args(message: Message) -> dict[str, Any]:
    text = message.lowered
    args: dict[str, Any] = {"days": days_window(text)}
    drop = re.search(r"(?:dropped|drop|fell|fallen|down|decline[d]?)\D{0,20}(\d+)", text)
    if drop:
        args["min_drop"] = float(drop.group(1))
    renewal = re.search(r"renew\w*\D{0,25}(\d+)\s*(day|week|month)", text)
    if renewal:
        args["renewal_within_days"] = int(renewal.group(1)) * {"day": 1, "week": 7, "month": 30}[renewal.group(2)]
    if "critical" in text and "at risk" not in text and "at-risk" not in text:
        args["statuses"] = ["CRITICAL"]
    csm = staff_arg(message)
    if csm:
        args["csm"] = csm
    return args


def portfolio_args(message: Message) -> dict[str, Any]:
    csm = staff_arg(message)
    return {"csm": csm} if csm else {}


def renewals_args(message: Message) -> dict[str, Any]:
    return {"within_days": days_window(message.lowered, default=90)}


def drivers_args(message: Message, client: str) -> dict[str, Any]:
    return {"client": client, "days": days_window(message.lowered)}


def overview_args(message: Message, client: str) -> dict[str, Any]:
    return {"client": client}


PORTFOLIO_WORDS = re.compile(
    r"\b(which|what|who|whom|any|top|most|all|every|across|my|our|the) (?:of (?:my|our|the) )?"
    r"(clients|accounts|accts|customers|portfolio|book|company|team|whole)\b|\bwho(?:'s| is)? (?:most )?likely\b|"
    r"\b(portfolio|company-wide|across the (?:board|company|book))\b"
)


def churn_args(message: Message) -> dict[str, Any] | Clarify:
    mention = find_client_mention(message.text, message.vocabulary)
    if not mention.matches and PORTFOLIO_WORDS.search(message.lowered):
        return {}
    client = client_arg(message, required=False)
    if isinstance(client, Clarify) or client is None:
        return {} if client is None else client
    return {"client": client}


COHORTS = {
    "industry": ["industry", "vertical", "sector"],
    "size": ["size", "employees", "headcount", "company size"],
    "tenure": ["tenure", "how long", "customer for", "year customer", "years as a customer", "same age"],
    "tier": ["tier", "plan", "enterprise", "professional", "starter", "same contract"],
}
# Naming an industry ("vs other energy companies", "the rest of financial services") means the industry cohort.
INDUSTRY_WORDS = [
    "financial", "finance", "fintech", "banking", "bank", "insurance", "insurer", "manufactur", "energy", "utilit",
    "oil and gas", "healthcare", "health care", "hospital", "pharma", "biotech", "life science", "legal", "law firm",
    "logistics", "shipping", "transport", "retail", "ecommerce", "e-commerce", "media", "publishing", "education",
    "school", "universit", "non-profit", "nonprofit", "charit", "government", "public sector", "hospitality",
    "hotel", "technology", "tech company", "tech companies", "software", "saas", "telecom", "aerospace",
    "construction", "real estate", "automotive", "agricultur", "dental", "clinic",
]  # fmt: skip


def benchmark_args(message: Message, client: str) -> dict[str, Any]:
    cohort = keyword_choice(message.text, COHORTS)
    if cohort is None and keyword_choice(message.text, {"industry": INDUSTRY_WORDS}):
        cohort = "industry"
    return {"client": client, "cohort": cohort or "tier"}


WEIGHT_NAMES = ("usage", "adoption", "support", "relationship", "contract", "outcome")
# Words between a weight's name and its number: "relationship counts 30", "usage weighted at 25", "support = 15".
_WEIGHT_LINK = (
    r"\s*(?:=|:|\bat\b|\bto\b|\bof\b|\bis\b|\bbe\b|\bcounts?\b|\bcounted\b|\bfor\b|\bweigh\w*|\bgets?\b|"
    r"\bgot\b|\bshould\b|\bwould\b|\bset\b|\bwith\b|\bworth\b|\bmatters?\b|\bhas\b|\bhad\b)"
)


def simulate_args(message: Message) -> dict[str, Any] | Clarify:
    weights = {
        name: float(match.group(1))
        for name in WEIGHT_NAMES
        if (match := re.search(rf"\b{name}\w*(?:{_WEIGHT_LINK})*\s*(\d+(?:\.\d+)?)", message.lowered))
    }
    if not weights:
        return Clarify(
            "Which weights should I try? For example: usage 30, adoption 15, support 15, "
            "relationship 15, contract 15, outcome 10."
        )
    return {"weights": weights}


def timeline_args(message: Message) -> dict[str, Any] | Clarify:
    mention = find_client_mention(message.text, message.vocabulary)
    across = not mention.matches and PORTFOLIO_WORDS.search(message.lowered)
    client = None if across else client_arg(message, required=False)
    if isinstance(client, Clarify):
        return client
    query = _search_terms(message.text, client, message.vocabulary)
    if not query:
        return Clarify("What should I look for in the timeline?")
    return {"query": query, **({"client": client} if client else {})}


_STOP = words(
    "a an the at with about for of on in to into from by as and or but so if did does do done doing anyone "
    "anybody someone somebody everyone mention mentioned mentions mentioning say said says saying tell told talk "
    "talked talking discuss discussed discussing agree agreed ask asked asking raise raised bring brought up any "
    "anything something stuff thing things we us our i me my you your they them their he she him her his it its "
    "this that these those there here what when where who whom which why how whether is was were are be been "
    "being am has have had having will would could should can may might must ever last lately recently recent now "
    "right currently still yet already just really find search look looking check show pull see get give let know "
    "timeline timelines notes note client clients account accounts accts customer customers portfolio book please "
    "pls thanks"
)


def _search_terms(text: str, client: str | None, vocabulary: Vocabulary | None = None) -> str:
    client_words = set(re.findall(r"[a-z0-9]+", (client or "").lower()))
    if vocabulary is not None and client:
        for known in vocabulary.clients:
            if known.name == client:
                client_words |= {word for alias in known.aliases for word in alias.split()}
    words = [word.strip("'-") for word in re.findall(r"[a-z0-9']+(?:-[a-z0-9']+)*", text.lower())]
    words = [
        part for word in words for part in ([word] if "-" not in word or word in client_words else word.split("-"))
    ]
    kept = [word.removesuffix("'s") for word in words if word and word not in _STOP]
    return " ".join(word for word in kept if word not in client_words and word not in _STOP)


def alerts_args(message: Message) -> dict[str, Any] | Clarify:
    client = client_arg(message, required=False)
    if isinstance(client, Clarify):
        return client
    args: dict[str, Any] = {"client": client} if client and "my alerts" not in message.lowered else {}
    severity = keyword_choice(message.text, {"CRITICAL": ["critical"], "HIGH": ["high"]})
    if severity:
        args["severity"] = severity
    return args


def update_alert_args(message: Message) -> dict[str, Any] | Clarify:
    action = keyword_choice(
        message.text,
        {
            "snooze": ["snooze", "remind me", "later"],
            "dismiss": ["dismiss", "ignore", "not relevant"],
            "resolve": ["resolve", "fixed", "done", "close"],
            "acknowledge": ["ack", "acknowledge", "seen", "got it"],
        },
    )
    if action is None:
        return Clarify("Should I acknowledge, snooze, dismiss or resolve the alert?")
    args: dict[str, Any] = {"action": action}
    alert = re.search(r"(?:alert|#)\s*#?(\d+)", message.lowered)
    if alert:
        args["alert_id"] = int(alert.group(1))
    else:
        client = client_arg(message)
        if isinstance(client, Clarify):
            return Clarify("Which alert? Give its number (e.g. alert 12) or the client.")
        args["client"] = client
        about = keyword_choice(message.text, ALERT_TOPICS)
        if about:
            args["about"] = about
    if action == "snooze":
        args["snooze_days"] = 7 if "week" in message.lowered else days_window(message.lowered, default=1)
    if action == "resolve":
        note = re.split(r"\b(?:resolve[d]?|fixed|done|close[d]?)\b", message.text, maxsplit=1)[-1]
        note = re.sub(r"^\W*(alert\s*#?\d+)?\W*", "", note).strip()
        if note:
            args["notes"] = note
    return args


ALERT_TOPICS = {
    "payment": ["payment", "invoice", "overdue invoice"],
    "champion": ["champion"],
    "renewal": ["renewal"],
    "support": ["support", "ticket"],
    "usage": ["usage", "dau"],
    "health": ["health", "score"],
    "nps": ["nps", "detractor"],
    "blocked": ["blocked", "blocker"],
    "overdue": ["overdue"],
    "inactive": ["inactive", "no login", "no activity"],
}


def follow_ups_args(message: Message) -> dict[str, Any]:
    return {"days_ahead": days_window(message.lowered, default=7)}


def activity_summary_args(message: Message) -> dict[str, Any]:
    text = message.lowered
    monday = message.as_of - dt.timedelta(days=message.as_of.weekday())
    if "this week" in text:
        start, end = monday, message.as_of
    elif "this month" in text:
        start, end = message.as_of.replace(day=1), message.as_of
    elif "last month" in text:
        end = message.as_of.replace(day=1) - dt.timedelta(days=1)
        start = end.replace(day=1)
    else:  # "last week" and the default
        start, end = monday - dt.timedelta(days=7), monday - dt.timedelta(days=1)
    args: dict[str, Any] = {"start": start.isoformat(), "end": end.isoformat()}
    csm = staff_arg(message)
    if csm and not re.search(r"\b(i|my|me)\b", text):
        args["csm"] = csm
    return args


def engagement_args(message: Message, client: str) -> dict[str, Any]:
    return {"client": client}


def proof_args(message: Message, client: str) -> dict[str, Any]:
    return {"client": client}


def first_number(message: Message) -> float | None:
    values = numbers(message.text)
    return values[0] if values else None


def future_date(message: Message) -> dt.date | None:
    dates = find_dates(message.text, message.as_of, prefer="future")
    return dates[-1].value if dates else None
