"""A scripted OpenAI-compatible chat server on 127.0.0.1 for tests: it answers POST /v1/chat/completions with
queued responses (tool calls, text, HTTP errors, hangs) and records every request it received.

    with ScriptedOpenAI() as server:
        server.queue(tool_call("explain_score_drivers", {"client": "Acme Corp"}), text("Acme is at 41.2."))
        settings = Settings(model="openai:gpt-4o-mini", openai_base_url=server.base_url, openai_api_key="test")
        ...
        server.requests[0].body["messages"][0]["role"] == "system"

Streaming requests (`"stream": true`) are answered as server-sent events with the same content, so the server
works whether or not the client streams. An exhausted script answers 500 with "script exhausted", which the
agent treats as a provider failure: tests see it as an unexpected fallback note rather than a hang.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

COMPLETIONS_PATH = "/v1/chat/completions"


@dataclass(frozen=True)
class Step:
    """One scripted answer: an HTTP status with a JSON body, or a chat message, after an optional delay."""

    status: int = 200
    message: dict[str, Any] | None = None  # the assistant message of a 200 answer
    error: dict[str, Any] | None = None  # the body of an error answer
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (a "hang" when longer than the client's timeout)
    respond: Callable[[Request], Step] | None = None  # decide the answer from the request (e.g. a tool result)


@dataclass(frozen=True)
class Request:
    """What the server received: the path, the headers (lower-cased names) and the parsed JSON body."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))

    @property
    def tool_names(self) -> list[str]:
        return [tool["function"]["name"] for tool in self.body.get("tools", [])]

    @property
    def tool_results(self) -> list[dict[str, Any]]:
        """The tool messages sent back to the model, their content parsed from JSON."""
        return [
            {**message, "content": json.loads(message["content"])}
            for message in self.messages
            if message.get("role") == "tool"
        ]

    def tool(self, name: str) -> dict[str, Any]:
        return next(tool["function"] for tool in self.body.get("tools", []) if tool["function"]["name"] == name)


def text(content: str) -> Step:
    """A final assistant message."""
    return Step(message={"role": "assistant", "content": content})


def tool_call(name: str, args: dict[str, Any], *, call_id: str | None = None) -> Step:
    """An assistant message calling one tool."""
    return tool_calls((name, args, call_id))


def tool_calls(*calls: tuple[str, dict[str, Any], str | None]) -> Step:
    """An assistant message calling several tools at once: (name, args, call_id or None) each."""
    return Step(
        message={
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": call_id or f"call_{uuid.uuid4().hex[:12]}",
                    "type": "function",
                    "function": {"name": name, "arguments": json.dumps(args)},
                }
                for name, args, call_id in calls
            ],
        }
    )


def error(status: int, message: str = "scripted failure", *, headers: dict[str, str] | None = None) -> Step:
    """An OpenAI-style error answer (429 rate limit, 500 server error, ...)."""
    kind = "rate_limit_exceeded" if status == 429 else "server_error"
    return Step(status=status, error={"error": {"message": message, "type": kind, "code": kind}}, headers=headers or {})


def rate_limited(retry_after_ms: int | None = 20) -> Step:
    """429 Too Many Requests, with a short `retry-after-ms` as OpenAI sends (None: no header, client's backoff)."""
    headers = {} if retry_after_ms is None else {"retry-after-ms": str(retry_after_ms)}
    return error(429, "Rate limit reached for requests", headers=headers)


def dynamic(respond: Callable[[Request], Step]) -> Step:
    """An answer computed from the request when it arrives, e.g. a final text quoting the tool result."""
    return Step(respond=respond)


def hang(seconds: float, then: Step | None = None) -> Step:
    """Answer only after `seconds` (with `then`, default a short text): longer than the client timeout, a timeout."""
    base = then or text("too late")
    return Step(status=base.status, message=base.message, error=base.error, headers=base.headers, delay=seconds)


class ScriptedOpenAI:
    """The server. Use as a context manager; `base_url` is what OPENAI_BASE_URL would be (ends in /v1)."""

    def __init__(self, model: str = "gpt-4o-mini") -> None:
        self.model = model
        self.requests: list[Request] = []
        self._script: list[Step] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="scripted-openai", daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def queue(self, *steps: Step) -> ScriptedOpenAI:
        with self._lock:
            self._script.extend(steps)
        return self

    @property
    def remaining(self) -> int:
        with self._lock:
            return len(self._script)

    def start(self) -> ScriptedOpenAI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> ScriptedOpenAI:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    def _next(self, request: Request) -> Step:
        with self._lock:
            self.requests.append(request)
            if not self._script:
                return error(500, "script exhausted: the test queued fewer answers than the client asked for")
            return self._script.pop(0)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet test output
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw or b"{}")
                headers = {name.lower(): value for name, value in self.headers.items()}
                if self.path.rstrip("/") != COMPLETIONS_PATH:
                    self._send_json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}}, {})
                    return
                request = Request(self.path, headers, body)
                step = server._next(request)
                if step.respond is not None:
                    step = step.respond(request)
                if step.delay:
                    time.sleep(step.delay)
                if step.status != 200 or step.message is None:
                    self._send_json(step.status, step.error or {}, step.headers)
                elif body.get("stream"):
                    self._send_stream(step.message, str(body.get("model", server.model)))
                else:
                    self._send_json(200, completion(step.message, str(body.get("model", server.model))), step.headers)

            def _send_json(self, status: int, payload: dict[str, Any], headers: dict[str, str]) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout): nothing to answer
                    pass

            def _send_stream(self, message: dict[str, Any], model: str) -> None:
                events = [*stream_chunks(message, model), "[DONE]"]
                data = b"".join(
                    f"data: {event if isinstance(event, str) else json.dumps(event)}\n\n".encode() for event in events
                )
                try:
                    self.send_response(200)
                    self.send_header("content-type", "text/event-stream")
                    self.send_header("content-length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        return Handler


def completion(message: dict[str, Any], model: str) -> dict[str, Any]:
    """A chat.completion object around one assistant message."""
    finish = "tool_calls" if message.get("tool_calls") else "stop"
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
        "object": "chat.completion",
        "created": 1_780_000_000,
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }


def stream_chunks(message: dict[str, Any], model: str) -> list[dict[str, Any]]:
    """The same message as chat.completion.chunk events: the role, the content or tool calls, the finish."""
    base = {"id": f"chatcmpl-{uuid.uuid4().hex[:12]}", "object": "chat.completion.chunk", "created": 1_780_000_000}
    base["model"] = model
    delta: dict[str, Any] = {"role": "assistant", "content": message.get("content") or ""}
    if message.get("tool_calls"):
        delta["tool_calls"] = [{"index": i, **call} for i, call in enumerate(message["tool_calls"])]
    finish = "tool_calls" if message.get("tool_calls") else "stop"
    return [
        {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]},
        {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": finish}]},
    ]
