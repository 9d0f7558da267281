"""CSM activities (seed 004 F9) and free-form notes, private ones visible to their author only."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TimestampMixin, client_fk, enum_type
from domain.enums import ActivityOutcome, ActivityType, NoteType


class Activity(IdMixin, TimestampMixin, Base):
    __tablename__ = "activities"
    __table_args__ = (
        CheckConstraint("duration_minutes IS NULL OR duration_minutes >= 0", name="duration_non_negative"),
        CheckConstraint("follow_up_completed = false OR follow_up_date IS NOT NULL", name="completion_needs_date"),
        Index("ix_activities_client_occurred", "client_id", "occurred_at"),
        Index("ix_activities_performer_occurred", "performed_by_id", "occurred_at"),
        Index("ix_activities_follow_up", "follow_up_date"),
    )

    client_id: Mapped[int] = client_fk()
    activity_type: Mapped[ActivityType] = mapped_column(enum_type(ActivityType))
    subject: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    # Staff are deactivated rather than deleted; if one is deleted (with their workspace) history survives.
    performed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    contact_ids: Mapped[list[str]] = mapped_column(default=list)
    occurred_at: Mapped[dt.datetime]
    duration_minutes: Mapped[int | None]
    outcome: Mapped[ActivityOutcome | None] = mapped_column(enum_type(ActivityOutcome))
    outcome_notes: Mapped[str | None] = mapped_column(Text)
    follow_up_date: Mapped[dt.date | None] = mapped_column(Date)
    follow_up_completed: Mapped[bool] = mapped_column(Boolean, default=False)
    follow_up_completed_at: Mapped[dt.datetime | None]
    salesforce_activity_id: Mapped[str | None] = mapped_column(String(40))
    hubspot_engagement_id: Mapped[str | None] = mapped_column(String(40))


class Note(IdMixin, TimestampMixin, Base):
    __tablename__ = "notes"
    __table_args__ = (Index("ix_notes_client_created", "client_id", "created_at"),)

    client_id: Mapped[int] = client_fk()
    title: Mapped[str | None] = mapped_column(String(300))
    content: Mapped[str] = mapped_column(Text)
    note_type: Mapped[NoteType] = mapped_column(enum_type(NoteType), default=NoteType.GENERAL)
    is_private: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
