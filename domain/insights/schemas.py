"""Pydantic views of insights: what services return, never ORM rows."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from domain.enums import InsightStatus, InsightType


class InsightView(BaseModel):
    id: int
    client_id: int
    client_name: str
    week_start: dt.date
    insight_key: str
    insight_type: InsightType
    title: str
    body: str
    priority: int  # 1 is the most pressing
    status: InsightStatus
    status_changed_at: dt.datetime | None
