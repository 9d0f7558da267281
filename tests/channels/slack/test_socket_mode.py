"""Socket Mode against local stand-ins: Slack's Web API (apps.connections.open) and its WebSocket endpoint."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.server import ServerConnection, serve

from channels.slack.socket_mode import run_socket_mode
from domain.db import make_engine
from tests.channels.slack.conftest import demo_settings, forget_slack_id
from tests.channels.slack.payloads import event_callback, mention
from tests.channels.slack.standin import SlackStandIn
from tests.demo_fixture import NOW


class SocketStandIn:
    """Says hello, delivers one Events API envelope, and records the acknowledgements and the disconnect."""

    def __init__(self, envelope: dict[str, Any]) -> None:
        self.envelope = envelope
        self.acks: list[dict[str, Any]] = []
        self.closed = threading.Event()

    def handle(self, connection: ServerConnection) -> None:
        connection.send(json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0001"}}))
        connection.send(json.dumps(self.envelope))
        try:
            for message in connection:
                self.acks.append(json.loads(message))
        except ConnectionClosed:
            pass
        self.closed.set()


@pytest.fixture
def socket_standin() -> Iterator[tuple[SocketStandIn, str]]:
    payload = event_callback(mention("UJANE", "CJANE", "who is at risk?", "9.000100"), "Ev90")
    envelope = {"envelope_id": "env-1", "type": "events_api", "accepts_response_payload": False,
                "retry_attempt": 0, "retry_reason": "", "payload": payload}  # fmt: skip
    standin = SocketStandIn(envelope)
    server = serve(standin.handle, "127.0.0.1", 0, compression=None)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield standin, f"ws://127.0.0.1:{server.socket.getsockname()[1]}/link"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def test_socket_mode_connects_answers_an_event_and_shuts_down_cleanly(
    tmp_path: Path, demo_template: Path, standin: SlackStandIn, socket_standin: tuple[SocketStandIn, str]
) -> None:
    socket, socket_url = socket_standin
    standin.socket_url = socket_url
    settings = demo_settings(
        tmp_path, demo_template, slack_bot_token="xoxb-test", slack_app_token="xapp-test", slack_api_url=standin.api_url
    )
    forget_slack_id(settings, "jane@demo.csagent.dev")
    engine = make_engine(settings.database_url)
    stop, connected = threading.Event(), threading.Event()
    runner = threading.Thread(
        target=run_socket_mode,
        args=(settings, engine, stop),
        kwargs={"on_connected": connected.set, "clock": lambda: NOW},
    )
    runner.start()
    try:
        assert connected.wait(60), "Socket Mode did not connect"
        (answer,) = standin.wait_for("chat.update")
        assert "Acme Corp" in json.dumps(answer.params["blocks"])
        assert standin.to("chat.postMessage")[0].params["thread_ts"] == "9.000100"
        deadline = time.monotonic() + 10
        while not any(ack.get("envelope_id") == "env-1" for ack in socket.acks) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert any(ack.get("envelope_id") == "env-1" for ack in socket.acks), "the envelope was acknowledged"
        assert standin.to("apps.connections.open")[0].path == "/api/apps.connections.open"
    finally:
        stop.set()
        runner.join(timeout=30)
        engine.dispose()
    assert not runner.is_alive(), "run_socket_mode returned after stop"
    assert socket.closed.wait(10), "the WebSocket was closed"
