"""What `csagent demo` reports after generating the tenant."""

from __future__ import annotations

from pydantic import BaseModel


class DemoSummary(BaseModel):
    """Row counts per kind of data, and which client tells which story."""

    workspace_id: int
    clients: int = 0
    contacts: int = 0
    events: int = 0
    rollups: int = 0
    tickets: int = 0
    surveys: int = 0
    invoices: int = 0
    activities: int = 0
    notes: int = 0
    proposals: int = 0
    deliverables: int = 0
    payments: int = 0
    stories: dict[str, str] = {}  # story key -> client name
