"""Mentions in channels and direct messages: acknowledged at once, answered by a lazy listener."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from channels.slack.conversation import Inbound, answer_message
from channels.slack.runtime import SlackRuntime

# Message events csagent ignores: edits, deletions, joins, other bots' and its own posts.
_IGNORED = ("bot_id", "subtype", "hidden")


def acknowledge(ack: Ack) -> None:
    ack()


def register(app: App, runtime: SlackRuntime) -> None:
    def on_mention(body: dict[str, Any], event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        if str(event.get("channel", "")).startswith("D"):
            return  # a direct message arrives as message.im too; that listener answers it
        inbound = Inbound.from_event(body, event, bot_user_id=context.bot_user_id)
        answer_message(runtime, client, inbound, bot_user_id=context.bot_user_id)

    def on_message(body: dict[str, Any], event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        if event.get("channel_type") != "im" or any(event.get(key) for key in _IGNORED):
            return
        inbound = Inbound.from_event(body, event, bot_user_id=context.bot_user_id)
        answer_message(runtime, client, inbound, bot_user_id=context.bot_user_id)

    app.event("app_mention")(ack=acknowledge, lazy=[on_mention])
    app.event("message")(ack=acknowledge, lazy=[on_message])
