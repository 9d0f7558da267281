"""What a turn returns to every channel: the answer, the tool calls behind it, and any pending confirmation."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

ToolStatus = Literal["ok", "error", "pending_confirmation", "cancelled"]


class ToolCallRecord(BaseModel):
    name: str
    args: dict[str, Any]
    status: ToolStatus
    result: dict[str, Any] | None = None
    error: str | None = None


class PendingConfirmation(BaseModel):
    tool: str
    args: dict[str, Any]
    summary: str


class Attachment(BaseModel):
    """Structured extras a channel may render: a table (columns + rows) or a chart (series)."""

    kind: Literal["table", "chart", "draft"]
    title: str
    data: dict[str, Any]


class Reply(BaseModel):
    thread_id: str
    model: str
    as_of: dt.date
    answer: str
    tool_calls: list[ToolCallRecord] = Field(default_factory=list)
    pending_confirmation: PendingConfirmation | None = None
    attachments: list[Attachment] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)  # e.g. "running without an LLM", fallbacks

    def contract(self) -> dict[str, Any]:
        """The `csagent ask --json` object (ARCHITECTURE.md, stable contract)."""
        return {
            "thread_id": self.thread_id,
            "model": self.model,
            "as_of": self.as_of.isoformat(),
            "answer": self.answer,
            "tool_calls": [
                {"name": call.name, "args": call.args, "status": call.status, "result": call.result or {}}
                | ({"error": call.error} if call.error else {})
                for call in self.tool_calls
            ],
            "pending_confirmation": self.pending_confirmation.model_dump() if self.pending_confirmation else None,
            "attachments": [attachment.model_dump(mode="json") for attachment in self.attachments],
            "notes": self.notes,
        }
