"""Turn the messages a turn added to the thread into the channel-neutral Reply."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, ToolMessage

from agent.confirm import ConfirmationRequest
from agent.grounding import grounding_notes
from agent.reply import PendingConfirmation, Reply, ToolCallRecord

CONFIRM_PROMPT = "{summary}? Reply **yes** to confirm, **no** to cancel, or tell me what to change."


def build_reply(
    *,
    thread_id: str,
    model: str,
    as_of: dt.date,
    messages: Sequence[BaseMessage],
    pending: ConfirmationRequest | None,
    notes: list[str],
) -> Reply:
    records = _tool_records(messages, pending)
    notes = [*notes, *_model_notes(messages)]
    if model == "offline":
        notes.append("running without an LLM: answers come from the offline planner")
    if pending is not None:
        confirmation = PendingConfirmation(tool=pending.tool, args=pending.args, summary=pending.summary)
        answer = CONFIRM_PROMPT.format(summary=pending.summary)
        return Reply(
            thread_id=thread_id,
            model=model,
            as_of=as_of,
            answer=answer,
            tool_calls=records,
            pending_confirmation=confirmation,
            notes=notes,
        )
    answer = next(
        (str(m.content) for m in reversed(messages) if isinstance(m, AIMessage) and not m.tool_calls and m.content),
        "",
    )
    if model != "offline":  # a language model's figures are checked against the turn's tool results
        notes += grounding_notes(answer, messages)
    return Reply(thread_id=thread_id, model=model, as_of=as_of, answer=answer, tool_calls=records, notes=notes)


def _tool_records(messages: Sequence[BaseMessage], pending: ConfirmationRequest | None) -> list[ToolCallRecord]:
    outcomes = {m.tool_call_id: m for m in messages if isinstance(m, ToolMessage)}
    records, seen = [], set()
    for message in messages:
        if isinstance(message, ToolMessage) and message.tool_call_id not in seen:
            # a confirmed write: its call was proposed in an earlier turn, its result lands in this one
            artifact = message.artifact if isinstance(message.artifact, dict) else {}
            records.append(
                _record(message.name or "", artifact.get("args", {}), message, pending, message.tool_call_id)
            )
            seen.add(message.tool_call_id)
        if not isinstance(message, AIMessage):
            continue
        for call in message.tool_calls:
            seen.add(call["id"] or "")
            records.append(_record(call["name"], call["args"], outcomes.get(call["id"] or ""), pending, call["id"]))
    return records


def _record(
    name: str, args: dict[str, Any], result: ToolMessage | None, pending: ConfirmationRequest | None, call_id: Any
) -> ToolCallRecord:
    if result is None:
        if pending is not None and pending.tool_call_id == call_id:
            return ToolCallRecord(name=name, args=pending.args, status="pending_confirmation")
        return ToolCallRecord(name=name, args=args, status="error", error="not run")
    artifact = result.artifact if isinstance(result.artifact, dict) else {}
    status = artifact.get("status", "ok")
    final_args = artifact.get("args", args)
    if status == "ok":
        return ToolCallRecord(name=name, args=final_args, status="ok", result=json.loads(str(result.content)))
    return ToolCallRecord(name=name, args=final_args, status=status, error=artifact.get("error"))


def _model_notes(messages: Sequence[BaseMessage]) -> list[str]:
    return [
        str(m.additional_kwargs["csagent_note"])
        for m in messages
        if isinstance(m, AIMessage) and "csagent_note" in m.additional_kwargs
    ]
