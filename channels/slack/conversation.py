"""One inbound message, start to finish: claim it, know the asker, show progress, run the turn, post the answer."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

from agent.reply import Reply
from channels.slack.blocks import reply_messages
from channels.slack.identity import LINK_HELP
from channels.slack.privacy import PRIVATE_NOTE, choose_audience
from channels.slack.runtime import SlackRuntime
from domain.access import Actor
from domain.conversations.inbound import claim_inbound

CHANNEL = "slack"  # the channel name of claims (ChannelEvent) and of turns (run_turn)
WORKING = "Working on it…"
FAILED = "Sorry, something went wrong on my side while answering that. Please try again in a moment."
NOTHING_CHANGED = "Sorry, something went wrong on my side, so nothing was changed. Please try again in a moment."
_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
_LINK = re.compile(r"<(?:mailto:)?[^|>]+\|([^>]+)>|<((?:https?|mailto):[^>]+)>")
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Inbound:
    """A message for csagent: the delivery's id (Slack's event_id), who, where, and the thread it belongs to."""

    delivery_id: str
    user: str
    channel: str
    text: str
    thread_ts: str
    is_direct: bool

    @property
    def thread_id(self) -> str:
        return f"{self.channel}:{self.thread_ts}"

    @classmethod
    def from_event(cls, body: dict[str, Any], event: dict[str, Any], *, bot_user_id: str | None) -> Inbound:
        return cls(
            delivery_id=str(body.get("event_id") or f"{event.get('channel')}:{event.get('ts')}"),
            user=str(event.get("user", "")),
            channel=str(event.get("channel", "")),
            text=plain_text(str(event.get("text", "")), bot_user_id),
            thread_ts=str(event.get("thread_ts") or event.get("ts", "")),
            is_direct=event.get("channel_type") == "im" or str(event.get("channel", "")).startswith("D"),
        )


def plain_text(text: str, bot_user_id: str | None) -> str:
    """What the person typed: our own mention removed, links shown by their label, Slack's escapes undone."""
    text = _MENTION.sub(lambda m: "" if m.group(1) == bot_user_id else m.group(0), text)
    text = _LINK.sub(lambda m: m.group(1) or m.group(2), text)
    return html.unescape(text).strip()


def answer_message(runtime: SlackRuntime, client: WebClient, inbound: Inbound, *, bot_user_id: str | None) -> None:
    """Answer once per delivery: a retried event finds its delivery claimed and does nothing."""
    if not claim_inbound(runtime.sessions, channel=CHANNEL, external_id=inbound.delivery_id, now=runtime.clock()):
        return
    actor = runtime.directory.actor_for(client, inbound.user)
    if actor is None:
        tell_asker(client, inbound, LINK_HELP)
        return
    answer_as(runtime, client, inbound, actor, bot_user_id=bot_user_id)


def answer_as(
    runtime: SlackRuntime, client: WebClient, inbound: Inbound, actor: Actor, *, bot_user_id: str | None
) -> None:
    """Run the (already claimed) inbound message as `actor`'s turn in its thread, showing progress meanwhile."""
    placeholder = client.chat_postMessage(channel=inbound.channel, thread_ts=inbound.thread_ts, text=WORKING)
    placeholder_ts = str(placeholder["ts"])
    try:
        reply = runtime.agent().run_turn(
            actor, inbound.text, inbound.thread_id, CHANNEL, message_id=inbound.delivery_id, now=runtime.clock()
        )
    except Exception:
        _log.exception("answering Slack delivery %s failed", inbound.delivery_id)
        client.chat_update(channel=inbound.channel, ts=placeholder_ts, text=FAILED)
        return
    post_reply(runtime, client, inbound, actor, reply, placeholder_ts=placeholder_ts, bot_user_id=bot_user_id)


def run_turn_or_tell(
    runtime: SlackRuntime,
    actor: Actor,
    text: str,
    thread_id: str,
    *,
    message_id: str,
    tell: Callable[[str], object],
    edit: dict[str, Any] | None = None,
) -> Reply | None:
    """A turn for a button or command; if it fails, the person is told in one line (via `tell`) and None comes back."""
    try:
        return runtime.agent().run_turn(
            actor, text, thread_id, CHANNEL, message_id=message_id, edit=edit, now=runtime.clock()
        )
    except Exception:
        _log.exception("Slack turn %s in thread %s failed", message_id, thread_id)
        tell(NOTHING_CHANGED)
        return None


def post_reply(
    runtime: SlackRuntime,
    client: WebClient,
    inbound: Inbound,
    actor: Actor,
    reply: Reply,
    *,
    placeholder_ts: str,
    bot_user_id: str | None,
) -> None:
    """Replace the placeholder with the answer, or send it privately and leave a one-line note in its place."""
    audience = choose_audience(
        client=client,
        directory=runtime.directory,
        sessions=runtime.sessions,
        channel=inbound.channel,
        is_direct=inbound.is_direct,
        asker=actor,
        bot_user_id=bot_user_id,
        reply=reply,
    )
    messages = reply_messages(reply, owner=actor.user_id)
    if audience.in_channel:
        first, *rest = messages
        client.chat_update(channel=inbound.channel, ts=placeholder_ts, text=first.text, blocks=first.blocks)
        for message in rest:
            client.chat_postMessage(
                channel=inbound.channel, thread_ts=inbound.thread_ts, text=message.text, blocks=message.blocks
            )
        return
    for message in messages:
        client.chat_postEphemeral(
            channel=inbound.channel,
            user=inbound.user,
            thread_ts=inbound.thread_ts,
            text=message.text,
            blocks=message.blocks,
        )
    client.chat_update(channel=inbound.channel, ts=placeholder_ts, text=PRIVATE_NOTE.format(user=inbound.user))


def tell_asker(client: WebClient, inbound: Inbound, text: str) -> None:
    """A line for the asker alone: in the thread of a direct message, else as an ephemeral message."""
    if inbound.is_direct:
        client.chat_postMessage(channel=inbound.channel, thread_ts=inbound.thread_ts, text=text)
    else:
        client.chat_postEphemeral(channel=inbound.channel, user=inbound.user, thread_ts=inbound.thread_ts, text=text)
