"""create_app serves POST /slack/events only when a Slack bot token and signing secret are configured."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from channels.web.app import create_app
from tests.channels.slack.conftest import demo_settings
from tests.channels.slack.payloads import SECRET, signed_headers

CHALLENGE = {"token": "Jhj5dZrVaK7ZwHHjRyZWjbDl", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
             "type": "url_verification"}  # fmt: skip


def test_slack_events_are_served_only_when_slack_is_configured(tmp_path: Path, demo_template: Path) -> None:
    plain = demo_settings(tmp_path, demo_template)
    body = json.dumps(CHALLENGE)
    with TestClient(create_app(plain)) as client:
        assert client.post("/slack/events", content=body, headers=signed_headers(body)).status_code == 404
    slack = plain.model_copy(update={"slack_bot_token": "xoxb-test", "slack_signing_secret": SECRET})
    with TestClient(create_app(slack)) as client:
        unsigned = client.post("/slack/events", content=body, headers={"Content-Type": "application/json"})
        assert unsigned.status_code == 401
        signed = client.post("/slack/events", content=body, headers=signed_headers(body))
        assert signed.status_code == 200
        assert signed.json() == {"challenge": CHALLENGE["challenge"]}
