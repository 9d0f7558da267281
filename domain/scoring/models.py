"""Versioned score configurations and the daily snapshots computed with them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TenantMixin, client_fk, enum_type
from domain.enums import ContractTier, HealthStatus, HealthTrend


class ScoreConfig(IdMixin, TenantMixin, Base):
    """One version of a score model (health, success or supplier); a change is a new row, never an edit."""

    __tablename__ = "score_configs"
    __table_args__ = (
        UniqueConstraint("workspace_id", "model_key", "scope_key", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    model_key: Mapped[str] = mapped_column(String(32))  # "health" | "success" | "supplier"
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(String(500))
    applies_to_tier: Mapped[ContractTier | None] = mapped_column(enum_type(ContractTier))
    applies_to_segment: Mapped[str | None] = mapped_column(String(100))
    # "tier:ENTERPRISE", "segment:photographers" or "*": part of the version key, so scopes version separately.
    scope_key: Mapped[str] = mapped_column(String(140), default="*")
    components: Mapped[list[dict[str, Any]]] = mapped_column()  # [{"name","metric","normalise","weight"}]
    bands: Mapped[list[dict[str, Any]]] = mapped_column()  # [{"status","min"}] highest first
    trend_rules: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"window_days": 30, "delta": 5}
    version: Mapped[int] = mapped_column(default=1)
    previous_version_id: Mapped[int | None] = mapped_column(ForeignKey("score_configs.id", ondelete="SET NULL"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=lambda: dt.datetime.now(dt.UTC))


class HealthSnapshot(IdMixin, Base):
    """A client's score on one day under one model, with everything needed to explain it later."""

    __tablename__ = "health_snapshots"
    __table_args__ = (
        UniqueConstraint("client_id", "day", "model_key"),
        CheckConstraint("overall_score >= 0 AND overall_score <= 100", name="overall_range"),
        Index("ix_health_snapshots_day", "day"),
    )

    client_id: Mapped[int] = client_fk()
    day: Mapped[dt.date] = mapped_column(Date)
    model_key: Mapped[str] = mapped_column(String(32), default="health")
    overall_score: Mapped[float]
    status: Mapped[HealthStatus] = mapped_column(enum_type(HealthStatus))
    trend: Mapped[HealthTrend | None] = mapped_column(enum_type(HealthTrend))
    components: Mapped[dict[str, Any]] = mapped_column()  # name -> score, or None when insufficient data
    raw_inputs: Mapped[dict[str, Any]] = mapped_column(default=dict)
    weights: Mapped[dict[str, Any]] = mapped_column()  # effective weights after redistribution
    config_id: Mapped[int] = mapped_column(ForeignKey("score_configs.id", ondelete="CASCADE"))
    notable_events: Mapped[list[str]] = mapped_column(default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=lambda: dt.datetime.now(dt.UTC))
