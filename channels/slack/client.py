"""The Web API client (pointed at CSAGENT_SLACK_API_URL for a local stand-in) and the bot's DM with a person."""

from __future__ import annotations

from slack_sdk import WebClient


def web_client(token: str | None, api_url: str | None) -> WebClient:
    base_url = api_url or WebClient.BASE_URL
    return WebClient(token=token, base_url=base_url.rstrip("/") + "/")


def open_direct_message(client: WebClient, slack_user_id: str) -> str:
    """The id of the bot's direct-message channel with the person (Slack opens it, or returns the open one)."""
    opened = client.conversations_open(users=slack_user_id)
    return str(opened["channel"]["id"])
