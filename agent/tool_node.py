"""The tool node: pause before every write for confirmation, then run each tool with the injected context."""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, ToolMessage
from langchain_core.messages.tool import ToolCall
from langgraph.runtime import Runtime
from langgraph.types import interrupt
from pydantic import ValidationError

from agent.confirm import ConfirmationRequest, ConfirmationResponse, run_write_once, summarize
from agent.context import RunContext
from agent.state import AgentState
from domain.errors import DomainError
from tools import TOOLS
from tools.base import CsTool, ToolContext

logger = logging.getLogger(__name__)


def call_tools(state: AgentState, runtime: Runtime[RunContext]) -> dict[str, list[AnyMessage]]:
    """Run the last model message's tool calls. Writes pause first; nothing with a side effect precedes the pause."""
    messages = state["messages"]
    request = messages[-1]
    assert isinstance(request, AIMessage)
    origin = _origin_message_id(messages)
    results: list[AnyMessage] = [_run_one(call, origin, runtime.context) for call in request.tool_calls]
    return {"messages": results}


def _run_one(call: ToolCall, origin: str, context: RunContext) -> ToolMessage:
    tool = TOOLS.get(call["name"])
    call_id = call["id"] or call["name"]
    if tool is None:
        return _message(call_id, call["name"], call["args"], "error", error=f"unknown tool {call['name']!r}")
    args = dict(call["args"])
    if tool.writes:
        confirmed = _confirm(tool, call_id, args)
        if confirmed is None:
            return _message(call_id, tool.name, args, "cancelled")
        args = confirmed
    return _execute(tool, call_id, args, origin, context)


def _confirm(tool: CsTool[Any, Any], call_id: str, args: dict[str, Any]) -> dict[str, Any] | None:
    """Pause until the user accepts (the final args) or cancels (None); an edit pauses again with the new args.

    On resume LangGraph replays this node and hands each interrupt() its recorded answer in order, so the
    loop re-derives the same edits before reaching the pause that is waiting."""
    while True:
        request = ConfirmationRequest(tool=tool.name, args=args, summary=summarize(tool, args), tool_call_id=call_id)
        answer = ConfirmationResponse.model_validate(interrupt(request.model_dump(mode="json")))
        if answer.decision == "accept":
            return args
        if answer.decision == "cancel":
            return None
        args = {**args, **(answer.args or {})}


def _execute(
    tool: CsTool[Any, Any], call_id: str, args: dict[str, Any], origin: str, context: RunContext
) -> ToolMessage:
    tool_context = ToolContext(
        actor=context.actor,
        db_session=context.db_session,
        as_of=context.as_of,
        now=context.now,
        channel=context.channel,
        idempotency_key=_idempotency_key(origin, tool.name, args) if tool.writes else None,
        timeline_search=context.timeline_search,
    )
    try:
        with context.db_session.begin_nested():  # a failed tool leaves nothing half-written
            result = run_write_once(tool, args, tool_context) if tool.writes else tool.invoke(args, tool_context)
    except DomainError as problem:
        return _message(call_id, tool.name, args, "error", error=str(problem))
    except ValidationError as problem:
        return _message(call_id, tool.name, args, "error", error=_readable(problem))
    except Exception:  # a bug must not take the conversation down; it is logged with its traceback
        logger.exception("tool %s failed", tool.name)
        return _message(
            call_id, tool.name, args, "error", error=f"{tool.name} failed unexpectedly; nothing was changed"
        )
    return _message(call_id, tool.name, args, "ok", result=result.model_dump(mode="json"))


def _message(
    call_id: str,
    name: str,
    args: dict[str, Any],
    status: str,
    *,
    result: dict[str, Any] | None = None,
    error: str | None = None,
) -> ToolMessage:
    payload = result if status == "ok" else {"status": status, "error": error}
    return ToolMessage(
        content=json.dumps(payload, default=str),
        tool_call_id=call_id,
        name=name,
        status="success" if status == "ok" else "error",
        artifact={"status": status, "args": args, "result": result, "error": error},
    )


def _origin_message_id(messages: list[AnyMessage]) -> str:
    """The id of the user's message that led here: the channel's message id, stable across retries."""
    for message in reversed(messages):
        if isinstance(message, HumanMessage) and message.id:
            return str(message.id)
    return "no-message-id"


def _idempotency_key(origin: str, tool: str, args: dict[str, Any]) -> str:
    digest = hashlib.sha256(json.dumps(args, sort_keys=True, default=str).encode()).hexdigest()[:16]
    return f"{origin}:{tool}:{digest}"


def _readable(problem: ValidationError) -> str:
    first = problem.errors()[0]
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "context") or "arguments"
    return f"invalid {where}: {first.get('msg', 'invalid value')}"
