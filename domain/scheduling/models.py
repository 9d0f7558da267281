"""Leases that let only one scheduler process act at a time, and a log of job runs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin


class JobLease(Base):
    """Held by one process until `expires_at`; another may take it over only after it lapses."""

    __tablename__ = "job_leases"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[dt.datetime]


class JobRun(IdMixin, Base):
    __tablename__ = "job_runs"

    job: Mapped[str] = mapped_column(String(100), index=True)
    started_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="running")  # "running" | "ok" | "failed"
    detail: Mapped[str | None] = mapped_column(Text)
