"""Signed Slack requests in the shapes of Slack's documented examples (Events API, block_actions, slash commands)."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

import httpx
from slack_sdk.signature import SignatureVerifier

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TEAM = "T0001"


def event_callback(event: dict[str, Any], event_id: str) -> dict[str, Any]:
    return {
        "token": "XXYYZZ",
        "team_id": TEAM,
        "api_app_id": "A0001",
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": 1700000000,
        "authorizations": [{"team_id": TEAM, "user_id": "UBOT", "is_bot": True, "is_enterprise_install": False}],
    }


def mention(user: str, channel: str, text: str, ts: str, thread_ts: str | None = None) -> dict[str, Any]:
    event = {"type": "app_mention", "user": user, "text": f"<@UBOT> {text}", "ts": ts, "channel": channel,
             "event_ts": ts}  # fmt: skip
    return event | ({"thread_ts": thread_ts} if thread_ts else {})


def direct_message(user: str, channel: str, text: str, ts: str, thread_ts: str | None = None) -> dict[str, Any]:
    event = {"type": "message", "channel": channel, "user": user, "text": text, "ts": ts,
             "event_ts": ts, "channel_type": "im"}  # fmt: skip
    return event | ({"thread_ts": thread_ts} if thread_ts else {})


def block_actions(
    user: str, channel: str, message: dict[str, Any], action: dict[str, Any], response_url: str, *, ephemeral: bool
) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "demo"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM},
        "api_app_id": "A0001",
        "token": "XXYYZZ",
        "container": {
            "type": "message",
            "message_ts": message.get("ts", "1700000000.999999"),
            "channel_id": channel,
            "is_ephemeral": ephemeral,
        },
        "trigger_id": "12466734323.1395872398",
        "channel": {"id": channel, "name": "team"},
        "message": message,
        "response_url": response_url,
        "actions": [action | {"type": "button", "action_ts": "1700000100.000001"}],
    }


def signed_headers(body: str, *, secret: str = SECRET, content_type: str = "application/json") -> dict[str, str]:
    timestamp = str(int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    assert signature is not None
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature, "Content-Type": content_type}


def post_event(base_url: str, payload: dict[str, Any], *, retry: int = 0, secret: str = SECRET) -> httpx.Response:
    body = json.dumps(payload)
    headers = signed_headers(body, secret=secret)
    if retry:
        headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
    return httpx.post(f"{base_url}/slack/events", content=body, headers=headers, timeout=10)


def post_form(base_url: str, form: dict[str, str], *, secret: str = SECRET) -> httpx.Response:
    body = urlencode(form)
    headers = signed_headers(body, secret=secret, content_type="application/x-www-form-urlencoded")
    return httpx.post(f"{base_url}/slack/events", content=body, headers=headers, timeout=10)


def post_interaction(base_url: str, payload: dict[str, Any]) -> httpx.Response:
    return post_form(base_url, {"payload": json.dumps(payload)})
