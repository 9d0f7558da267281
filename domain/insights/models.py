"""Seed 001's weekly insights with their read / dismissed / acted-on status."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TimestampMixin, client_fk, enum_type
from domain.enums import InsightStatus, InsightType


class Insight(IdMixin, TimestampMixin, Base):
    __tablename__ = "insights"
    __table_args__ = (
        UniqueConstraint("client_id", "week_start", "insight_key"),
        CheckConstraint("priority >= 1 AND priority <= 5", name="priority_range"),
    )

    client_id: Mapped[int] = client_fk()
    week_start: Mapped[dt.date] = mapped_column(Date)
    insight_key: Mapped[str] = mapped_column(String(80))  # stable per rule, so regeneration is idempotent
    insight_type: Mapped[InsightType] = mapped_column(enum_type(InsightType))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    priority: Mapped[int] = mapped_column(default=3)
    status: Mapped[InsightStatus] = mapped_column(enum_type(InsightStatus), default=InsightStatus.UNREAD)
    status_changed_at: Mapped[dt.datetime | None]
