"""The manifest asks for exactly the scopes and events the code uses."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

SLACK = Path(__file__).parents[3] / "channels" / "slack"
# Each Web API method the code calls, with the bot scopes Slack requires for it (conversations.members: one
# per kind of channel it may be asked about).
METHOD_SCOPES = {
    "chat_postMessage": {"chat:write"},
    "chat_update": {"chat:write"},
    "chat_postEphemeral": {"chat:write"},
    "users_lookupByEmail": {"users:read", "users:read.email"},
    "conversations_members": {"channels:read", "groups:read", "mpim:read"},
    "conversations_open": {"im:write"},
    "views_open": set(),
}
EVENT_SCOPES = {"app_mention": "app_mentions:read", "message.im": "im:history"}


def test_the_manifest_scopes_are_exactly_what_the_code_calls_and_listens_to() -> None:
    source = "\n".join(path.read_text() for path in SLACK.rglob("*.py"))
    called = set(re.findall(r"client\.((?:chat|users|conversations|views)_\w+)\(", source))
    assert called == METHOD_SCOPES.keys()
    listened = set(re.findall(r'app\.event\("(\w+)"\)', source))
    assert listened == {"app_mention", "message"}
    manifest = yaml.safe_load((SLACK / "manifest.yaml").read_text())
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert events == EVENT_SCOPES.keys(), "message events arrive only from DMs (message.im)"
    commands = [command["command"] for command in manifest["features"]["slash_commands"]]
    assert commands == ["/cs"]
    assert 'app.command("/cs")' in source
    needed = set().union(*METHOD_SCOPES.values()) | set(EVENT_SCOPES.values()) | {"commands"}
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == needed
