"""Direct messages to staff on Slack through the Web API (a local stand-in in tests, via slack_api_url)."""

from __future__ import annotations

from typing import Any

from channels.slack.client import open_direct_message, web_client
from domain.errors import ValidationError
from domain.settings import Settings


def slack_configured(settings: Settings) -> bool:
    return bool(settings.slack_bot_token)


def send_direct_message(settings: Settings, slack_user_id: str, *, text: str, blocks: list[dict[str, Any]]) -> str:
    """Open (or reuse) the DM with the user and post into it; returns "<channel>:<ts>" of the message."""
    if not settings.slack_bot_token:
        raise ValidationError("Slack is not configured: set SLACK_BOT_TOKEN")
    client = web_client(settings.slack_bot_token, settings.slack_api_url)
    channel = open_direct_message(client, slack_user_id)
    posted = client.chat_postMessage(channel=channel, text=text, blocks=blocks, unfurl_links=False)
    return f"{channel}:{posted['ts']}"
