"""Write the final answer from the turn's tool results with the templates in prompts/answers/.

Every number in an offline answer is rendered from a tool result, so the answer is grounded by construction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, ToolMessage

import prompts


def trailing_tool_messages(messages: Sequence[BaseMessage]) -> list[ToolMessage]:
    """The tool results that answer the last model message with tool calls."""
    results: list[ToolMessage] = []
    for message in reversed(messages):
        if isinstance(message, ToolMessage):
            results.append(message)
        elif isinstance(message, AIMessage):
            break
    return list(reversed(results))


def calls_by_id(messages: Sequence[BaseMessage]) -> dict[str, dict[str, Any]]:
    return {call["id"] or "": call["args"] for m in messages if isinstance(m, AIMessage) for call in m.tool_calls}


def compose_answer(messages: Sequence[BaseMessage]) -> str:
    args_by_call = calls_by_id(messages)
    parts = [
        render_result(message, args_by_call.get(message.tool_call_id, {}))
        for message in trailing_tool_messages(messages)
    ]
    return "\n\n".join(part for part in parts if part)


@lru_cache(maxsize=128)
def _has_template(name: str) -> bool:
    """Templates ship with the code, so whether one exists is asked of the disk once per process."""
    return prompts.exists(name)


def render_result(message: ToolMessage, args: dict[str, Any]) -> str:
    artifact = message.artifact if isinstance(message.artifact, dict) else {}
    status = artifact.get("status", "ok" if message.status == "success" else "error")
    tool = message.name or ""
    if status == "cancelled":
        return prompts.render("answers/cancelled.md.j2", tool=tool)
    payload = json.loads(str(message.content)) if message.content else {}
    if status == "error":
        return prompts.render("answers/error.md.j2", error=payload.get("error") or "that did not work")
    template = f"answers/{tool}.md.j2"
    if not _has_template(template):
        return prompts.render("answers/generic.md.j2", tool=tool, result=payload)
    return prompts.render(template, result=payload, args=args)
