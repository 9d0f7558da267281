"""Block Kit for every Slack answer, built by pure functions from the channel-neutral Reply.

Slack's limits are kept here: at most 50 blocks a message (longer answers become several messages), 3000
characters a section, 75 a button label, 2000 a button value, 10 fields a section.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from agent.reply import PendingConfirmation, Reply
from channels.slack.blocks_results import RESULT_RENDERERS, SECTION_TEXT, Block, context, section
from channels.slack.mrkdwn import escape, split_text, to_mrkdwn, truncate

MAX_BLOCKS = 50
FALLBACK_TEXT = 3000  # the notification text; Slack truncates far later, but nobody reads more in a toast
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
EDITABLE_TEXT = 300  # longer arguments are changed by replying in the thread, not in the Edit form
MAX_ALERT_CARDS = 10
WRITE_ACTIONS = ("write_confirm", "write_edit", "write_cancel")
ALERT_ACTIONS = {
    "alert_ack": "Acknowledge",
    "alert_snooze_day": "Snooze 1 day",
    "alert_snooze_week": "Snooze 1 week",
    "alert_dismiss": "Dismiss",
}


@dataclass(frozen=True)
class SlackMessage:
    text: str  # the notification and screen-reader text
    blocks: list[Block]


def button(label: str, action_id: str, value: str, style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": truncate(label, BUTTON_TEXT)},
        "action_id": action_id,
        "value": value[:BUTTON_VALUE],
    }
    return element | ({"style": style} if style else {})


def text_blocks(markdown: str) -> list[Block]:
    return [section(piece) for piece in split_text(to_mrkdwn(markdown), SECTION_TEXT)]


def reply_blocks(reply: Reply, *, owner: int) -> list[Block]:
    """The whole answer as blocks: a confirmation card, a rendered tool result, or the answer text; then notes."""
    if reply.pending_confirmation is not None:
        blocks = confirmation_blocks(reply.pending_confirmation, thread_id=reply.thread_id, owner=owner)
    else:
        blocks = _result_blocks(reply)
    notes = [note for note in reply.notes if note]
    if notes:
        blocks.append(context(escape(" · ".join(notes))))
    return blocks


def _result_blocks(reply: Reply) -> list[Block]:
    ok = [call for call in reply.tool_calls if call.status == "ok" and call.result]
    if len(ok) == 1 and ok[0].name == "list_alerts":
        return alert_list_blocks(reply.answer, ok[0].result or {})
    rendered = RESULT_RENDERERS.get(ok[0].name) if len(ok) == 1 else None
    if rendered is None:
        return text_blocks(reply.answer or "(no answer)")
    headline = reply.answer.strip().splitlines()[0] if reply.answer.strip() else ""
    return [*text_blocks(headline), *rendered(ok[0].result or {})]


def reply_messages(reply: Reply, *, owner: int) -> list[SlackMessage]:
    """The answer as one or more messages, each within Slack's block limit."""
    return split_messages(reply_blocks(reply, owner=owner), fallback=reply.answer)


def split_messages(blocks: list[Block], *, fallback: str) -> list[SlackMessage]:
    text = truncate(to_mrkdwn(fallback) or "csagent", FALLBACK_TEXT)
    chunks = [blocks[start : start + MAX_BLOCKS] for start in range(0, len(blocks), MAX_BLOCKS)] or [[]]
    return [
        SlackMessage(text=text if n == 0 else f"{text[:60]}… (part {n + 1})", blocks=c) for n, c in enumerate(chunks)
    ]


def confirmation_blocks(pending: PendingConfirmation, *, thread_id: str, owner: int) -> list[Block]:
    """A write waiting for its owner: what will happen, the arguments, and Confirm / Edit / Cancel."""
    shown = [(key, value) for key, value in pending.args.items() if value not in (None, "", [], {})]
    fields = [{"type": "mrkdwn", "text": truncate(f"*{k}*\n{escape(str(v))}", 2000)} for k, v in shown[:10]]
    head: Block = section(f":pencil2: *Confirm:* {escape(pending.summary)}")
    if fields:
        head["fields"] = fields
    target = {"thread": thread_id, "owner": owner}
    editable = {k: v for k, v in pending.args.items() if _editable(v)}
    edit_value = json.dumps(target | {"tool": pending.tool, "args": editable})
    if len(edit_value) > BUTTON_VALUE:
        edit_value = json.dumps(target | {"tool": pending.tool, "args": {}})
    actions = [
        button("Confirm", "write_confirm", json.dumps(target), "primary"),
        button("Edit", "write_edit", edit_value),
        button("Cancel", "write_cancel", json.dumps(target), "danger"),
    ]
    return [head, {"type": "actions", "block_id": "write", "elements": actions}]


def _editable(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool) and len(str(value)) <= EDITABLE_TEXT


def alert_list_blocks(answer: str, result: dict[str, Any]) -> list[Block]:
    """Open alerts as cards with their buttons; past MAX_ALERT_CARDS, a line saying how many more there are."""
    alerts = list(result.get("alerts", []))
    headline = answer.strip().splitlines()[0] if answer.strip() else f"{len(alerts)} open alerts"
    blocks = text_blocks(headline)
    for alert in alerts[:MAX_ALERT_CARDS]:
        blocks += alert_blocks(alert)
    if len(alerts) > MAX_ALERT_CARDS:
        blocks.append(context(f"{len(alerts) - MAX_ALERT_CARDS} more; ask for one client's alerts to see them."))
    return blocks


def alert_blocks(alert: dict[str, Any], *, done: str | None = None) -> list[Block]:
    """One alert: severity, title, what to do; its buttons, or once handled, who did what."""
    lines = [f"*[{alert.get('severity')}]* {escape(str(alert.get('title', '')))}"]
    if alert.get("recommended_action"):
        lines.append(f"_Suggested:_ {escape(str(alert['recommended_action']))}")
    block_id = f"alert-{alert.get('id')}"
    card = section("\n".join(lines)) | {"block_id": block_id}
    if done is not None:
        return [card, context(escape(done)) | {"block_id": f"{block_id}-done"}]
    value = str(alert.get("id"))
    elements = [button(label, action, value) for action, label in ALERT_ACTIONS.items()]
    elements[-1]["style"] = "danger"
    return [card, {"type": "actions", "block_id": f"{block_id}-actions", "elements": elements}]


def replace_alert(blocks: list[Block], alert: dict[str, Any], done: str) -> list[Block]:
    """The message's blocks with one alert's card and buttons swapped for its handled state."""
    prefix = f"alert-{alert.get('id')}"
    out: list[Block] = []
    for block in blocks:
        block_id = str(block.get("block_id", ""))
        if block_id == prefix:
            out += alert_blocks(alert, done=done)
        elif block_id not in (f"{prefix}-actions", f"{prefix}-done"):
            out.append(block)
    return out


def edit_modal(tool: str, args: dict[str, Any], metadata: str) -> Block:
    """A form with one input per editable argument of a pending write, prefilled with its current value."""
    inputs = [
        {
            "type": "input",
            "block_id": f"arg:{key}",
            "label": {"type": "plain_text", "text": truncate(key.replace("_", " "), 2000)},
            "element": {
                "type": "plain_text_input",
                "action_id": "value",
                "initial_value": str(value),
                "multiline": len(str(value)) > 60,
            },
        }
        for key, value in args.items()
    ]
    note = context("Longer fields are changed by replying in the thread, e.g. “make the notes …”.")
    return {
        "type": "modal",
        "callback_id": "write_edit_submit",
        "private_metadata": metadata,
        "title": {"type": "plain_text", "text": "Edit before saving"},
        "submit": {"type": "plain_text", "text": "Save changes"},
        "close": {"type": "plain_text", "text": "Back"},
        "blocks": [section(f"*{escape(tool.replace('_', ' '))}*"), *inputs, note],
    }
