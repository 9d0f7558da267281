"""A local stand-in for Slack: the Web API methods csagent calls, response_urls, and a Socket Mode WebSocket.

It records every call so tests assert on what csagent sent, and answers in Slack's documented JSON shapes.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

BOT_USER_ID = "UBOT"


@dataclass(frozen=True)
class Call:
    method: str  # "chat.postMessage", ... or "response_url" for a POST to a response_url
    params: dict[str, Any]
    path: str = ""


@dataclass
class SlackStandIn:
    """Slack as seen from csagent: `users` maps staff emails to member ids, `members` lists channel members."""

    users: dict[str, str] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)
    socket_url: str | None = None
    calls: list[Call] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ts: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    url: str = ""

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str) -> str:
        return f"{self.url}/response/{name}"

    def record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)

    def to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def wait_for(
        self, method: str, count: int = 1, where: Callable[[Call], bool] = lambda _: True, timeout: float = 60.0
    ) -> list[Call]:
        """The first `count` matching calls, polled until they arrive (lazy listeners run in threads)."""
        deadline = time.monotonic() + timeout
        while True:
            found = [call for call in self.to(method) if where(call)]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} call(s) to {method}, got {len(found)}: {self.calls}")
            time.sleep(0.05)

    def answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """Slack-shaped JSON for one Web API call."""
        if method == "auth.test":
            return {"ok": True, "url": "https://demo.slack.com/", "team": "Demo", "user": "csagent",
                    "team_id": "T0001", "user_id": BOT_USER_ID, "bot_id": "B0001"}  # fmt: skip
        if method in ("chat.postMessage", "chat.update"):
            ts = params.get("ts") or f"1700000000.{next(self._ts):06d}"
            return {"ok": True, "channel": params.get("channel"), "ts": ts, "message": {"text": params.get("text")}}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"1700000001.{next(self._ts):06d}"}
        if method == "users.lookupByEmail":
            member = self.users.get(str(params.get("email", "")).lower())
            if member is None:
                return {"ok": False, "error": "users_not_found"}
            return {"ok": True, "user": {"id": member, "team_id": "T0001", "deleted": False, "is_bot": False}}
        if method == "conversations.members":
            channel = str(params.get("channel"))
            if channel not in self.members:
                return {"ok": False, "error": "channel_not_found"}
            return {"ok": True, "members": self.members[channel], "response_metadata": {"next_cursor": ""}}
        if method == "conversations.open":  # each person's DM with the bot is "D" + their member id
            return {"ok": True, "channel": {"id": f"D{str(params.get('users', '')).removeprefix('U')}"}}
        if method == "apps.connections.open" and self.socket_url:
            return {"ok": True, "url": self.socket_url}
        if method == "views.open":
            return {"ok": True, "view": {"id": "V0001"}}
        return {"ok": False, "error": "unknown_method"}


def _params(handler: BaseHTTPRequestHandler, body: bytes) -> dict[str, Any]:
    query = {k: v[0] for k, v in parse_qs(urlparse(handler.path).query).items()}
    if not body:
        return query
    if "json" in (handler.headers.get("Content-Type") or ""):
        loaded: dict[str, Any] = json.loads(body)
        return query | loaded
    form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
    return query | form


def _handler(standin: SlackStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            path = urlparse(self.path).path
            params = _params(self, body)
            if path.startswith("/response/"):
                standin.record(Call("response_url", params, path))
                self._send(b"ok", "text/plain")
                return
            method = path.removeprefix("/api/")
            standin.record(Call(method, params, path))
            self._send(json.dumps(standin.answer(method, params)).encode(), "application/json")

        def _send(self, payload: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self) -> None:
            self._serve()

        def do_POST(self) -> None:
            self._serve()

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@contextmanager
def running_standin(standin: SlackStandIn) -> Iterator[SlackStandIn]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(standin))
    standin.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield standin
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
