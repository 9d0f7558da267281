""" "Open in a thread" on a briefing item: the item's question, asked in the clicker's DM and answered in its thread."""

from __future__ import annotations

import json
import re
from typing import Any

from slack_bolt import App, BoltContext, Respond
from slack_sdk import WebClient

from channels.slack.briefing_blocks import OPEN_ITEM_ACTION
from channels.slack.client import open_direct_message
from channels.slack.conversation import CHANNEL, Inbound, answer_as
from channels.slack.identity import LINK_HELP
from channels.slack.listeners.messages import acknowledge
from channels.slack.mrkdwn import escape
from channels.slack.runtime import SlackRuntime
from domain.conversations.inbound import claim_inbound

OPEN_ITEM = re.compile(f"^{OPEN_ITEM_ACTION}")


def register(app: App, runtime: SlackRuntime) -> None:
    def on_open_item(body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext) -> None:
        open_item(runtime, body, client, respond, bot_user_id=context.bot_user_id)

    app.action(OPEN_ITEM)(ack=acknowledge, lazy=[on_open_item])


def open_item(
    runtime: SlackRuntime, body: dict[str, Any], client: WebClient, respond: Respond, *, bot_user_id: str | None
) -> None:
    """Post the item's prompt in the clicker's DM and answer it in that message's thread, as the clicker.

    Once per click: a redelivered interaction (same trigger) finds its claim and does nothing. The DM is opened
    rather than taken from the button's message, since /cs brief shows the same buttons in any channel.
    """
    action = body["actions"][0]
    user = str(body["user"]["id"])
    delivery_id = f"briefing:{body.get('trigger_id') or action.get('action_ts')}:{action['action_id']}"
    if not claim_inbound(runtime.sessions, channel=CHANNEL, external_id=delivery_id, now=runtime.clock()):
        return
    actor = runtime.directory.actor_for(client, user)
    if actor is None:
        respond(text=LINK_HELP, response_type="ephemeral", replace_original=False)
        return
    prompt = str(json.loads(action["value"])["prompt"])
    channel = open_direct_message(client, user)
    posted = client.chat_postMessage(channel=channel, text=escape(prompt))
    inbound = Inbound(
        delivery_id=delivery_id, user=user, channel=channel, text=prompt, thread_ts=str(posted["ts"]), is_direct=True
    )
    answer_as(runtime, client, inbound, actor, bot_user_id=bot_user_id)
