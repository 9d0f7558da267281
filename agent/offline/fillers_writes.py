"""Argument builders for write tools and outreach: activity logging, notes, the seed 000 success layer."""

from __future__ import annotations

import re
from typing import Any

from agent.offline.fillers import Clarify, Message, client_arg, future_date, with_client
from agent.offline.slots import (
    after_colon,
    duration_minutes,
    find_contact_mention,
    find_dates,
    keyword_choice,
    numbers,
    quoted,
)

ACTIVITY_TYPES = {
    "QBR": ["qbr", "quarterly business review", "business review"],
    "TRAINING": ["training", "trained", "workshop", "enablement"],
    "ONBOARDING": ["onboarding", "kickoff", "kick-off"],
    "SUPPORT_ESCALATION": ["escalation", "escalated", "support issue"],
    "EXECUTIVE_TOUCHPOINT": ["exec", "executive", "sponsor", "ceo", "cfo", "cco"],
    "INTERNAL_DISCUSSION": ["internal", "with the team", "sync with"],
    "MEETING": ["meeting", "met ", "met with", "onsite", "on-site", "visit"],
    "EMAIL": ["email", "emailed", "e-mail", "wrote to", "sent"],
    "CALL": ["call", "called", "phone", "rang", "spoke", "spoke to", "talked", "zoom", "teams"],
}
OUTCOMES = {
    "RISK_IDENTIFIED": ["risk", "unhappy", "frustrated", "churn", "leaving", "competitor", "cancel"],
    "EXPANSION_OPPORTUNITY": ["upsell", "expansion", "expand", "more seats", "upgrade", "interested in"],
    "ISSUE_IDENTIFIED": ["issue", "problem", "bug", "broken", "complain"],
    "SUCCESSFUL_ENGAGEMENT": [
        "went well",
        "went really well",
        "went very well",
        "went super well",
        "went pretty well",
        "went great",
        "great",
        "good call",
        "positive",
        "happy",
        "productive",
        "smoothly",
        "loved it",
        "success",
    ],
    "FOLLOW_UP_REQUIRED": ["follow up", "follow-up", "followup", "get back"],
    "NO_ACTION_NEEDED": ["no action", "nothing needed", "fyi"],
}
PURPOSES = {
    "celebration": ["congrat", "celebrat", "milestone", "well done", "kudos"],
    "executive_escalation": ["escalat", "executive", "exec ", "vp "],
    "renewal": ["renewal", "renew"],
    "re_engagement": ["re-engage", "reengage", "re engage", "haven't heard", "quiet", "gone dark", "inactive", "miss"],
    "adoption": [
        "adoption",
        "adopt",
        "training",
        "feature",
        "unused",
        "underused",
        "module",
        "stopped using",
        "not using",
        "start using",
        "using it again",
        "going again",
        "get started with",
        "rollout",
        "roll out",
    ],
    "check_in": ["check in", "check-in", "checkin", "touch base", "catch up"],
}
INTERVENTION_KINDS = {
    "automation": ["automat", "bot", "script", "zap"],
    "tool_stack": ["tool", "stack", "crm", "hubspot", "salesforce", "switched", "migrated", "software"],
    "workflow": ["workflow", "flow", "pipeline", "handoff"],
    "process": ["process", "procedure", "policy", "meeting cadence", "training"],
}
UNIT = re.compile(
    r"\d+(?:\.\d+)?\s*(%|percent|hours?(?:\s*(?:/|per|a)\s*(?:week|wk|month|day))?|hrs?(?:/wk)?|minutes?|mins?|"
    r"days?|weeks?|dollars?|usd|\$|k|tickets?|cases?|leads?|errors?)",
    re.I,
)


def contacts_in(message: Message, client_name: str) -> list[str]:
    """Contacts of this client named in the message: full names, and first names that fit one person only
    ("john wilson" is John Wilson even when John Roberts works there too; a bare "john" is then nobody)."""
    client_id = next((client.id for client in message.vocabulary.clients if client.name == client_name), None)
    if client_id is None:
        return []
    found = find_contact_mention(message.text, message.vocabulary, client_id)
    if found.by_full_name:
        return [name for _, name in found.contacts]
    by_first: dict[str, list[str]] = {}
    for _, name in found.contacts:
        by_first.setdefault(name.lower().split()[0], []).append(name)
    return [names[0] for names in by_first.values() if len(names) == 1]


@with_client
def log_activity_args(message: Message, client: str) -> dict[str, Any] | Clarify:
    kind = keyword_choice(message.text, ACTIVITY_TYPES) or "CALL"
    dates = find_dates(message.text, message.as_of)
    follow = re.search(r"follow[ -]?up\b(.*)", message.lowered)
    follow_date = None
    if follow:
        later = find_dates(follow.group(1), message.as_of, prefer="future")
        follow_date = later[0].value if later else None
    occurred = next((d.value for d in dates if not follow or d.start < follow.start()), message.as_of)
    if occurred > message.as_of:
        return Clarify(
            f"{occurred:%b %-d, %Y} hasn't happened yet, so I can't log it as done. When did it take place? "
            "(To plan it, log what happened and add a follow-up date.)"
        )
    contacts = contacts_in(message, client)
    who = contacts[0] if contacts else client
    args: dict[str, Any] = {
        "client": client,
        "activity_type": kind,
        "subject": f"{kind.replace('_', ' ').title()} with {who}",
        "notes": message.text.strip(),
        "occurred_on": occurred.isoformat(),
        "contacts": contacts,
    }
    if (minutes := duration_minutes(message.text)) is not None:
        args["duration_minutes"] = minutes
    if (outcome := keyword_choice(message.text, OUTCOMES)) is not None:
        args["outcome"] = outcome
    if follow_date is not None:
        args["follow_up_date"] = follow_date.isoformat()
    return args


@with_client
def outreach_args(message: Message, client: str) -> dict[str, Any]:
    purpose = keyword_choice(message.text, PURPOSES) or keyword_choice(message.topic, PURPOSES)
    args: dict[str, Any] = {"client": client, "purpose": purpose or "check_in"}
    contacts = contacts_in(message, client)
    if contacts:
        args["contact"] = contacts[0]
    return args


@with_client
def add_note_args(message: Message, client: str) -> dict[str, Any] | Clarify:
    content = after_colon(message.text) or quoted(message.text)
    if content is None:
        tail = re.split(r"\bnote\b\s*(?:to|for|on|about)?\s*", message.text, maxsplit=1, flags=re.I)[-1]
        content = _without_client(tail, client, message).strip(" :,-.") or None
        if content and not re.search(
            r"[a-z]{3,}", re.sub(r"\b(them|him|her|it|this|that|pls|please)\b", "", content, flags=re.I)
        ):
            content = None
    if not content:
        return Clarify(f"What should the note on {client} say?")
    kind = keyword_choice(
        message.text,
        {
            "RISK": ["risk"],
            "OPPORTUNITY": ["opportunity", "upsell"],
            "STRATEGY": ["strategy", "plan"],
            "QBR_PREP": ["qbr"],
        },
    )
    return {
        "client": client,
        "content": content,
        "private": "private" in message.lowered,
        "note_type": kind or "GENERAL",
    }


def _without_client(text: str, client: str, message: Message) -> str:
    """The text without the client's name in any of the forms it can be typed in ("beta", "beta's")."""
    forms = {client.lower()}
    for known in message.vocabulary.clients:
        if known.name == client:
            forms |= set(known.aliases)
    for form in sorted(forms, key=len, reverse=True):
        text = re.sub(rf"(?<![a-z0-9]){re.escape(form)}(?:'s)?(?![a-z0-9])", "", text, flags=re.I)
    return re.sub(r"\s+", " ", text).strip()


def _unit(message: Message) -> str | None:
    match = UNIT.search(message.text)
    if not match:
        return None
    unit = match.group(1).lower().replace(" ", "")
    unit = re.sub(r"(per|a)(week|wk)", "/week", unit).replace("/wk", "/week")
    unit = {
        "hrs": "hours",
        "hr": "hours",
        "hour": "hours",
        "%": "percent",
        "mins": "minutes",
        "min": "minutes",
        "$": "usd",
        "dollars": "usd",
        "dollar": "usd",
    }.get(unit, unit)
    return re.sub(r"^(hrs?|hour)(?=/)", "hours", unit)


@with_client
def result_target_args(message: Message, client: str) -> dict[str, Any] | Clarify:
    values = numbers(re.sub(r"\b(q[1-4]|\d{4}-\d\d-\d\d)\b", "", message.lowered))
    span = re.search(r"from\s+(\d+(?:\.\d+)?)\D+?to\s+(\d+(?:\.\d+)?)", message.lowered)
    current, target = (float(span.group(1)), float(span.group(2))) if span else (None, None)
    if current is None and len(values) >= 2:
        current, target = values[0], values[1]
    deadline = future_date(message)
    unit = _unit(message) or _counted_unit(message, client)
    if current is None or target is None or deadline is None or unit is None:
        return Clarify(
            f"To set {client}'s result target I need the metric, its unit, the current and target values and the "
            'date, e.g. "reduce reporting time from 20 to 5 hours/week by March 1".'
        )
    metric = _metric_phrase(message.text, client) or "result metric"
    return {
        "client": client,
        "metric": metric,
        "unit": unit,
        "current_value": current,
        "target_value": target,
        "target_date": deadline.isoformat(),
        "direction": "lower_is_better" if target < current else "higher_is_better",
    }


def _counted_unit(message: Message, client: str) -> str | None:
    """A count with no unit word ("cut no-shows from 12 to 4 per week"): the thing counted, per period."""
    metric = _metric_phrase(message.text, client)
    if not metric:
        return None
    period = re.search(r"\b(?:per|a|an|each|/)\s*(day|week|wk|month|quarter|year)\b", message.lowered)
    return f"{metric} per {'week' if period and period.group(1) == 'wk' else period.group(1)}" if period else metric


def _metric_phrase(text: str, client: str) -> str | None:
    match = re.search(r"\b(?:reduce|cut|increase|raise|grow|improve|lower|get)\s+(.+?)\s+from\b", text, re.I)
    if match:
        return re.sub(re.escape(client), "", match.group(1), flags=re.I).strip() or None
    match = re.search(r"metric\s+(?:is\s+)?(.+?)(?:\s+from\b|$)", text, re.I)
    return match.group(1).strip() if match else None


@with_client
def baseline_args(message: Message, client: str) -> dict[str, Any] | Clarify:
    values = numbers(message.text)
    if not values:
        return Clarify(f"What is {client}'s baseline value (with its unit)?")
    args: dict[str, Any] = {"client": client, "value": values[0]}
    if (unit := _unit(message)) is not None:
        args["unit"] = unit
    dates = find_dates(message.text, message.as_of)
    if dates:
        args["captured_on"] = dates[0].value.isoformat()
    return args


@with_client
def outcome_args(message: Message, client: str) -> dict[str, Any] | Clarify:
    values = numbers(re.sub(r"\b\d{4}-\d\d-\d\d\b", "", message.text))
    if not values:
        return Clarify(f"What value should I record for {client} this week?")
    args: dict[str, Any] = {"client": client, "value": values[0]}
    if (unit := _unit(message)) is not None:
        args["unit"] = unit
    dates = find_dates(message.text, message.as_of)
    week = dates[0].value if dates else message.as_of
    if "last week" in message.lowered:
        week = message.as_of - __import__("datetime").timedelta(days=7)
    args["week_of"] = week.isoformat()
    return args


@with_client
def intervention_args(message: Message, client: str) -> dict[str, Any]:
    title = after_colon(message.text) or re.sub(
        r"^(log|record|add)?\s*(an?\s+)?intervention\s*(for|at)?\s*", "", message.text.strip(), flags=re.I
    )
    title = re.sub(rf"^{re.escape(client)}\W*", "", title, flags=re.I).strip() or message.text.strip()
    dates = find_dates(message.text, message.as_of)
    return {
        "client": client,
        "kind": keyword_choice(message.text, INTERVENTION_KINDS) or "process",
        "title": title[:300],
        "occurred_on": (dates[0].value if dates else message.as_of).isoformat(),
    }


@with_client
def risk_args(message: Message, client: str) -> dict[str, Any]:
    description = after_colon(message.text) or re.sub(
        r"^(add|raise|log)?\s*(a\s+)?(risk|blocker|bottleneck)\s*(for|at)?\s*", "", message.text.strip(), flags=re.I
    )
    description = re.sub(rf"^{re.escape(client)}\W*", "", description, flags=re.I).strip() or message.text.strip()
    severity = keyword_choice(
        message.text, {"high": ["high", "urgent", "critical", "blocker"], "low": ["low", "minor"]}
    )
    return {"client": client, "description": description, "severity": severity or "medium"}


_RISK_FILLER = re.compile(
    r"\b(resolve[ds]?|resolving|the|a|an|risk|risks|blocker|bottleneck|issue|problem|thing|one|close[ds]?|closing|"
    r"mark(?:ed)?|as|is|it|that|this|at|for|on|of|with|out|now|finally|has|have|been|got|all|sorted|fixed|done|"
    r"cleared|handled|solved|gone|over|please|pls)\b"
)
# A command trailing the resolution ("... keys arrived. resolve the risk") is not part of how it was resolved.
_TRAILING_COMMAND = re.compile(
    r"[.;,!]?\s*(?:so |please |pls |can you |go ahead and )?(?:resolve|close|mark)\b[^.;!]*$", re.I
)


def resolve_risk_args(message: Message) -> dict[str, Any] | Clarify:
    client = client_arg(message)
    if isinstance(client, Clarify) or client is None:
        return client or Clarify("Which client do you mean?")
    number = re.search(r"risk\s*#?(\d+)|#(\d+)", message.lowered)
    resolution = after_colon(message.text) or (
        re.split(r"\bresolved\b|\bfixed\b|\bclosed\b|\bsorted\b", message.text, maxsplit=1, flags=re.I)[-1].strip(
            " :,-."
        )
    )
    if resolution and resolution.lower() != message.text.lower().strip():
        resolution = _TRAILING_COMMAND.sub("", resolution).strip(" :,-.") or resolution
    if not resolution or resolution.lower() == message.text.lower().strip():
        return Clarify("How was the risk resolved? (a resolution is required)")
    if number:
        risk = number.group(1) or number.group(2)
    else:
        reference = _without_client(message.text.split(":", 1)[0], client, message).lower()
        risk = re.sub(r"\s+", " ", _RISK_FILLER.sub(" ", reference)).strip(" ,.-")
    return {"client": client, "risk": risk, "resolution": resolution}


@with_client
def feedback_args(message: Message, client: str) -> dict[str, Any] | Clarify:
    response = quoted(message.text) or after_colon(message.text)
    if response is None:
        said = re.search(r"\b(?:said|says|told us|mentioned)\s+(?:that\s+)?(.+)", message.text, re.I)
        response = said.group(1).strip() if said else None
    if not response:
        return Clarify(f"What did {client} say?")
    args: dict[str, Any] = {"client": client, "response": response, "sentiment": feedback_sentiment(response)}
    contacts = contacts_in(message, client)
    if contacts:
        args["contact"] = contacts[0]
    return args


SENTIMENTS = {
    "negative": ["slow", "confus", "hard", "bug", "frustrat", "hate", "broken", "annoy", "worse", "complain"],
    "positive": ["love", "great", "save", "faster", "easier", "happy", "helps", "better", "instant", "calmer"],
}


def feedback_sentiment(response: str) -> str:
    return keyword_choice(response, SENTIMENTS) or "neutral"


def target_client_only(message: Message) -> dict[str, Any] | Clarify:
    client = client_arg(message)
    return client if isinstance(client, Clarify) else {"client": client}
