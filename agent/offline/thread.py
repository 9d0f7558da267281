"""What the conversation so far tells the planner: the last request (tool and arguments), the client and the
staff member it was about, the clients the last list showed, and what the user said before.

Follow-ups use it: "what about beta" repeats the last request for Beta, "the second one" is the second client
of the last list, "his clients" keeps the last staff filter.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

LOOKUP_KEY = "csagent_then"  # an AIMessage whose tool call is a lookup made before the write it names


@dataclass(slots=True)
class Thread:
    last_call: tuple[str, dict[str, Any]] | None = None
    last_client: str | None = None
    last_staff: str | None = None
    listed_clients: list[str] = field(default_factory=list)
    said: list[str] = field(default_factory=list)  # the user's earlier messages, newest first
    # A write that waited on a lookup and then asked "which one?": (the write's name and args, the items shown).
    choice: tuple[dict[str, Any], list[dict[str, Any]]] | None = None


def read_thread(history: Sequence[BaseMessage]) -> Thread:
    """The thread before the message being answered (the last HumanMessage is the one being answered)."""
    messages = list(history)
    if messages and isinstance(messages[-1], HumanMessage):
        messages = messages[:-1]
    thread = Thread()
    thread.choice = _open_choice(messages)
    for message in reversed(messages):
        if isinstance(message, HumanMessage):
            thread.said.append(str(message.content))
        elif isinstance(message, AIMessage) and message.tool_calls:
            for call in reversed(message.tool_calls):
                args = dict(call["args"])
                if thread.last_call is None and not message.additional_kwargs.get(LOOKUP_KEY):
                    thread.last_call = (call["name"], args)
                if thread.last_client is None and args.get("client"):
                    thread.last_client = str(args["client"])
                if thread.last_staff is None and args.get("csm"):
                    thread.last_staff = str(args["csm"])
        elif isinstance(message, ToolMessage) and not thread.listed_clients and message.status != "error":
            thread.listed_clients = listed_clients(message)
    return thread


def _open_choice(messages: list[BaseMessage]) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """The last turn made a lookup for a write and ended in a question: the write and what it listed."""
    if len(messages) < 3 or not isinstance(messages[-1], AIMessage) or messages[-1].tool_calls:
        return None
    result, request = messages[-2], messages[-3]
    if not (isinstance(result, ToolMessage) and isinstance(request, AIMessage)):
        return None
    then = request.additional_kwargs.get(LOOKUP_KEY)
    if not then or result.status == "error":
        return None
    try:
        items = json.loads(str(result.content)).get("alerts") or []
    except (ValueError, AttributeError):
        return None
    return (dict(then), list(items)) if items else None


def listed_clients(message: ToolMessage) -> list[str]:
    """The clients a list result showed, in its order (at-risk list, renewals, churn ranking, alerts, ...)."""
    try:
        payload = json.loads(str(message.content)) if message.content else None
    except ValueError:
        return []
    return _first_client_list(payload)


def _first_client_list(value: Any) -> list[str]:
    if isinstance(value, list) and len(value) > 1 and all(isinstance(item, dict) for item in value):
        names = [str(item.get("client_name") or item.get("name") or "") for item in value if "client_id" in item]
        names = [name for name in dict.fromkeys(names) if name]
        if len(names) > 1:
            return names
    if isinstance(value, dict):
        for item in value.values():
            found = _first_client_list(item)
            if found:
                return found
    if isinstance(value, list):
        for item in value:
            found = _first_client_list(item)
            if found:
                return found
    return []


_ORDINALS = {
    "first": 1, "1st": 1, "top": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "5th": 5, "sixth": 6, "6th": 6, "seventh": 7, "7th": 7, "eighth": 8, "8th": 8, "ninth": 9,
    "9th": 9, "tenth": 10, "10th": 10, "last": -1, "bottom": -1,
}  # fmt: skip
_WORDS = "|".join(_ORDINALS)
_NOUN = r"(?:one|client|account|acct|company|customer)"
ORDINAL = re.compile(
    rf"\bthe ({_WORDS})(?: {_NOUN}| on (?:the|that) list)?"
    r"(?=\s*(?:$|[?.!,;:]|\b(?:on|in|from|there|please|pls|dropping|doing|at|about|then|too|is|was|and)\b))"
    rf"|\b({_WORDS}) {_NOUN}\b|\bnumber (\d{{1,2}})\b(?: on (?:the|that) list)?"
    r"|\bno\.? ?(\d{1,2}) on (?:the|that) list\b",
)


def resolve_ordinal(text: str, thread: Thread) -> str:
    """ "tell me more about the second one" -> "tell me more about Beta Industries" when the last list had it."""
    if not thread.listed_clients:
        return text
    match = ORDINAL.search(text.lower())
    if not match:
        return text
    word = match.group(1) or match.group(2)
    position = _ORDINALS[word] if word else int(match.group(3) or match.group(4))
    clients = thread.listed_clients
    if position == -1:
        name = clients[-1]
    elif 1 <= position <= len(clients):
        name = clients[position - 1]
    else:
        return text
    return text[: match.start()] + name + text[match.end() :]
