"""Block Kit for the daily briefing DM: one section per item with a button that opens it in a thread.

Pure functions of the deterministic Briefing, so tests can snapshot them. The button's action id is
`briefing_open_item_<n>`; its value (JSON) names the client and what the item is about, and the listener
(listeners/briefing.py) starts a thread with csagent from `value["prompt"]`.
"""

from __future__ import annotations

import json
from typing import Any

from agent.briefing.models import Briefing, BriefingItem, ItemKind
from channels.slack.mrkdwn import escape

Block = dict[str, Any]
OPEN_ITEM_ACTION = "briefing_open_item"
SECTION_LIMIT = 3000
PROMPTS = {  # what the thread asks csagent first, by item kind
    ItemKind.ALERT: "Show the open alerts for {client}",
    ItemKind.FOLLOW_UP: "List my follow-ups for {client}",
    ItemKind.SCORE_CHANGE: "Why did {client}'s health score change?",
    ItemKind.CHURN_JUMP: "What is the churn risk for {client}?",
    ItemKind.RENEWAL: "Give me an overview of {client} before the renewal",
    ItemKind.EXPANSION: "Give me an overview of {client}",
    ItemKind.MILESTONE: "Draft a celebration email to {client}",
    ItemKind.DELIVERABLE: "What is the engagement status for {client}?",
    ItemKind.PAYMENT: "What is the engagement status for {client}?",
    ItemKind.OUTCOME_MISSING: "What is the engagement status for {client}?",
    ItemKind.TARGET_PROGRESS: "What is the engagement status for {client}?",
}


def briefing_blocks(briefing: Briefing) -> list[Block]:
    """The briefing as blocks: header, as-of line, the items (or the stale notice), a closing hint."""
    header: Block = {"type": "header", "text": {"type": "plain_text", "text": _title(briefing)}}
    if briefing.stale:
        reason = escape(briefing.stale_reason or "the data is stale")
        notice = f"*The data is stale, so there is no briefing today.* {reason[:1].upper()}{reason[1:]}."
        return [header, _section(notice)]
    blocks: list[Block] = [header, _context(_as_of_line(briefing))]
    if not briefing.items:
        blocks.append(_section("Nothing needs you today: no meaningful changes, no new alerts, nothing due."))
    for number, item in enumerate(briefing.items, start=1):
        blocks.append(_item_section(number, item, briefing))
    if briefing.more_items:
        blocks.append(_context(f"…and {briefing.more_items} less urgent items. Ask me what else needs you today."))
    return blocks


def briefing_fallback_text(briefing: Briefing) -> str:
    """The notification text (and what screen readers say)."""
    if briefing.stale:
        return f"{_title(briefing)}: the data is stale, no briefing today"
    count = len(briefing.items) + briefing.more_items
    return f"{_title(briefing)}: {count} item{'s' if count != 1 else ''}"


def _title(briefing: Briefing) -> str:
    return f"Your briefing for {briefing.local_date:%a %b} {briefing.local_date.day}"


def _as_of_line(briefing: Briefing) -> str:
    computed = briefing.data_computed_at
    when = f"{computed:%Y-%m-%d %H:%M} UTC" if computed else "never"
    return f"Data as of {briefing.data_as_of}, scores computed {when}."


def _item_section(number: int, item: BriefingItem, briefing: Briefing) -> Block:
    text = f"*{number}. {escape(item.client_name)}*: {escape(item.headline)}\n_Next:_ {escape(item.action)}"
    value = {
        "date": briefing.local_date.isoformat(),
        "kind": item.kind.value,
        "client_id": item.client_id,
        "prompt": PROMPTS[item.kind].format(client=item.client_name),
    }
    block = _section(text)
    block["accessory"] = {
        "type": "button",
        "text": {"type": "plain_text", "text": "Open in a thread"},
        "action_id": f"{OPEN_ITEM_ACTION}_{number}",  # unique per message, as Slack requires
        "value": json.dumps(value)[:2000],
    }
    return block


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:SECTION_LIMIT]}}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}
