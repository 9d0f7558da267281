"""Confirmation before writes: the interrupt payload, the user's decision, and idempotent execution."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from domain.audit import find_idempotent_result, remember_idempotent_result
from tools.base import CsTool, ToolContext

Decision = Literal["accept", "edit", "cancel"]

_YES = re.compile(
    r"^\s*(y|yes|yep|yeah|confirm(ed)?|ok(ay)?|sure|go ahead|do it|approve[d]?|send it|log it)\b[.! ]*$", re.I
)
_NO = re.compile(r"^\s*(n|no|nope|cancel|stop|abort|don'?t|never ?mind|forget it)\b", re.I)


class ConfirmationRequest(BaseModel):
    """What the graph surfaces when it pauses before a write tool."""

    tool: str
    args: dict[str, Any]
    summary: str
    tool_call_id: str


class ConfirmationResponse(BaseModel):
    """How the user answered: accept as is, accept with edited arguments, or cancel."""

    decision: Decision
    args: dict[str, Any] | None = None


def classify_reply(text: str) -> Decision | None:
    """A plain yes / no to a pending confirmation; None when the reply is something else (maybe an edit)."""
    if _YES.match(text):
        return "accept"
    if _NO.match(text):
        return "cancel"
    return None


def summarize(tool: CsTool[Any, Any], args: dict[str, Any]) -> str:
    """The one-line summary shown on a confirmation card."""
    if tool.summarize is not None:
        try:
            return tool.summarize(tool.args_model.model_validate(args))
        except ValidationError:
            pass
    shown = ", ".join(f"{key}={value!r}" for key, value in args.items() if value not in (None, "", [], {}))
    return f"{tool.name}({shown})"


def run_write_once(tool: CsTool[Any, Any], args: dict[str, Any], context: ToolContext) -> BaseModel:
    """Run a write tool at most once per idempotency key; a repeat returns the first result unchanged."""
    key = context.idempotency_key
    result: BaseModel
    if key is None:
        result = tool.invoke(args, context)
        return result
    workspace_id = context.actor.workspace_id
    stored = find_idempotent_result(context.db_session, workspace_id=workspace_id, key=key)
    if stored is not None:
        result = tool.result_model.model_validate(stored)
        return result
    result = tool.invoke(args, context)
    remember_idempotent_result(
        context.db_session,
        workspace_id=workspace_id,
        key=key,
        operation=tool.name,
        result=result.model_dump(mode="json"),
    )
    return result
