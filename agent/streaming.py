"""What a channel can show while a turn runs: tool steps starting and finishing, and answer text as it arrives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from langchain_core.messages import AIMessage, AIMessageChunk, ToolMessage

EventKind = Literal["tool_started", "tool_finished", "answer_delta"]
STREAM_MODES: list[Literal["updates", "messages"]] = ["updates", "messages"]


@dataclass(frozen=True, slots=True)
class TurnEvent:
    """One step of a running turn; the turn's Reply stays the authoritative result."""

    kind: EventKind
    data: dict[str, Any]


EventSink = Callable[[TurnEvent], None]


def turn_events(mode: str, payload: Any) -> list[TurnEvent]:
    """Translate one LangGraph stream item (stream_mode ["updates", "messages"]) into channel events."""
    if mode == "messages":
        message, metadata = payload
        return _answer_delta(message, metadata)
    if mode == "updates" and isinstance(payload, dict):
        events: list[TurnEvent] = []
        for node, update in payload.items():
            messages = update.get("messages", []) if isinstance(update, dict) else []
            if node == "model":
                events += [_started(call) for m in messages if isinstance(m, AIMessage) for call in m.tool_calls]
            elif node == "tools":
                events += [_finished(m) for m in messages if isinstance(m, ToolMessage)]
        return events
    return []


def _answer_delta(message: Any, metadata: dict[str, Any]) -> list[TurnEvent]:
    # Only the model node speaks to the user; tool results stream through "updates" as finished steps.
    if metadata.get("langgraph_node") != "model" or not isinstance(message, AIMessage | AIMessageChunk):
        return []
    text = message.text
    return [TurnEvent("answer_delta", {"text": text})] if text else []


def _started(call: Any) -> TurnEvent:
    return TurnEvent("tool_started", {"id": call.get("id"), "name": call["name"], "args": call.get("args", {})})


def _finished(message: ToolMessage) -> TurnEvent:
    artifact = message.artifact if isinstance(message.artifact, dict) else {}
    data = {"id": message.tool_call_id, "name": message.name or "", "status": artifact.get("status", "ok")}
    if artifact.get("error"):
        data["error"] = str(artifact["error"])
    return TurnEvent("tool_finished", data)
