"""Pydantic shapes of the unified client timeline (seed 004 US-015-041): entries, pages and search hits."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

DetailValue = str | int | float | bool | None


class TimelineKind(StrEnum):
    """What happened. The part before the first underscore is the kind's group (`ticket`, `alert`, ...)."""

    ACTIVITY = "activity"
    NOTE = "note"
    INTERACTION = "interaction"
    SURVEY = "survey"
    TICKET_OPENED = "ticket_opened"
    TICKET_CLOSED = "ticket_closed"
    ALERT_RAISED = "alert_raised"
    ALERT_ACKNOWLEDGED = "alert_acknowledged"
    ALERT_DISMISSED = "alert_dismissed"
    ALERT_RESOLVED = "alert_resolved"
    HEALTH_CHANGE = "health_change"
    INTERVENTION = "intervention"
    OUTCOME = "outcome"
    RISK_RAISED = "risk_raised"
    RISK_RESOLVED = "risk_resolved"
    FEEDBACK = "feedback"
    TARGET_SET = "target_set"
    BASELINE = "baseline"
    PROOF_POST = "proof_post"
    DELIVERABLE_CREATED = "deliverable_created"
    DELIVERABLE_COMPLETED = "deliverable_completed"
    DELIVERABLE_BLOCKED = "deliverable_blocked"
    PAYMENT_DUE = "payment_due"
    PAYMENT_PAID = "payment_paid"
    MILESTONE = "milestone"
    INVOICE_ISSUED = "invoice_issued"
    INVOICE_PAID = "invoice_paid"
    INVOICE_OVERDUE = "invoice_overdue"

    @property
    def group(self) -> str:
        return self.value.split("_", 1)[0]

    def entry_id(self, source_id: int) -> str:
        """The stable id of this kind of entry for one source row, e.g. "ticket-opened:45"."""
        return f"{self.value.replace('_', '-')}:{source_id}"


class TimelineEntry(BaseModel):
    """One event of a client's history, from whichever table recorded it.

    `body` is the full text (what text search and embeddings read); `details` holds the structured fields
    a reader expands to. `source_type`/`source_id` name the row it came from; `csm_user_id` is the client's
    CSM, carried so a derived index can scope without another lookup.
    """

    model_config = ConfigDict(frozen=True)

    entry_id: str
    kind: TimelineKind
    subtype: str | None = None  # activity type, note type, alert type, survey kind, ticket severity, ...
    occurred_at: AwareDatetime
    title: str
    body: str
    author_user_id: int | None = None
    author_name: str | None = None
    is_private: bool = False
    source_type: str
    source_id: int
    client_id: int
    client_name: str
    workspace_id: int
    csm_user_id: int | None = None
    details: dict[str, DetailValue] = Field(default_factory=dict)


class TimelinePage(BaseModel):
    """One page of a client's timeline, newest first; pass `next_cursor` back for the following page."""

    client_id: int
    client_name: str
    start: dt.date | None
    end: dt.date | None
    types: list[str]
    text: str | None
    entries: list[TimelineEntry]
    next_cursor: str | None


class TimelineHit(TimelineEntry):
    """A search result: the entry plus which query words it matched (more words first, then newer)."""

    score: int
    matched_words: list[str]
