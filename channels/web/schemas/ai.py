"""Bodies and results of the AI endpoints: chat goes through the agent, the rest through single tools."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from tools.outreach import Purpose


class ChatIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: str = Field(min_length=1, max_length=8000)
    thread_id: str | None = Field(
        default=None, min_length=1, max_length=100, pattern=r"^[\w.:-]+$", description="Continue a conversation"
    )
    confirm: bool = Field(default=False, description="Run a write the message asks for without a second turn")


class EmailDraftIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    purpose: Purpose = "check_in"
    contact: str | None = Field(default=None, min_length=1, max_length=200, description="Default: by purpose")


class RecommendedActions(BaseModel):
    client_id: int
    client_name: str
    as_of: dt.date
    actions: list[str]  # playbook actions for the score's weakest components, then churn-driven ones
    most_impactful_input: str | None
    churn_risk_band: str | None
    source_ids: dict[str, list[int]]
