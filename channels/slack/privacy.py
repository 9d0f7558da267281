"""Answers in a shared channel: shown there only when everyone in the channel may see every client they name.

Otherwise the answer goes to the asker alone (an ephemeral message) and the channel gets one line saying so.
A member that is not a staff user (a guest, another bot) may see no client, so any client detail goes private.
Failing closed: when Slack cannot list the members, the answer goes private too.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session, sessionmaker

from agent.reply import Reply
from channels.slack.identity import SlackDirectory
from domain.access import Actor
from domain.clients.audience import client_ids_named, clients_hidden_from_any
from domain.db import session_scope

MAX_MEMBERS = 1000  # a channel this large is as good as public: client details go private
PRIVATE_NOTE = "I sent my answer to <@{user}> privately: it names clients not everyone here may see."
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Audience:
    in_channel: bool
    reason: str


def client_ids_in(reply: Reply) -> set[int]:
    """Every client a reply's tool results refer to: `client_id` fields and `source_ids["client"]`, at any depth."""
    found: set[int] = set()
    for call in reply.tool_calls:
        for key, value in _walk(call.result or {}):
            if key == "client_id" and isinstance(value, int):
                found.add(value)
            elif key == "source_ids" and isinstance(value, dict):
                found.update(i for i in value.get("client", []) if isinstance(i, int))
    return found


def client_names_in(reply: Reply) -> set[str]:
    """Client names a reply's tool arguments carry (a confirmation card shows them before anything runs)."""
    calls = [call.args for call in reply.tool_calls]
    if reply.pending_confirmation is not None:
        calls.append(reply.pending_confirmation.args)
    return {str(args["client"]) for args in calls if isinstance(args.get("client"), str)}


def _walk(value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key, item
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


def channel_members(client: WebClient, channel: str) -> set[str] | None:
    """The channel's member ids, or None when Slack cannot list them or there are too many to check."""
    members: set[str] = set()
    cursor = None
    try:
        while True:
            page = client.conversations_members(channel=channel, limit=200, cursor=cursor)
            members.update(page.get("members", []))
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor or len(members) > MAX_MEMBERS:
                break
    except SlackApiError as problem:
        _log.warning("conversations.members failed for %s: %s", channel, problem.response.get("error"))
        return None
    return None if len(members) > MAX_MEMBERS else members


def choose_audience(
    *,
    client: WebClient,
    directory: SlackDirectory,
    sessions: sessionmaker[Session],
    channel: str,
    is_direct: bool,
    asker: Actor,
    bot_user_id: str | None,
    reply: Reply,
) -> Audience:
    """Whether the reply may be posted where it was asked, or must go to the asker alone."""
    if is_direct:
        return Audience(True, "a direct message")
    with session_scope(sessions) as session:
        client_ids = client_ids_in(reply) | client_ids_named(
            db_session=session, actor=asker, names=client_names_in(reply)
        )
    if not client_ids:
        return Audience(True, "names no client")
    members = channel_members(client, channel)
    if members is None:
        return Audience(False, "the channel's members could not be checked")
    others = members - {bot_user_id}
    actors = directory.actors_for(client, others)
    if others - actors.keys():
        return Audience(False, "someone in the channel is not a csagent user")
    with session_scope(sessions) as session:
        hidden = clients_hidden_from_any(db_session=session, actors=actors.values(), client_ids=client_ids)
    if hidden:
        return Audience(False, f"{len(hidden)} named client(s) are outside someone's portfolio")
    return Audience(True, "everyone here may see these clients")
