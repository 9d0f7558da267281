"""The feature catalogue (seed 004 F5) and each client's adoption of it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TenantMixin, TimestampMixin, client_fk, enum_type
from domain.enums import AdoptionStatus, UsageTrend


class Feature(IdMixin, TenantMixin, Base):
    __tablename__ = "features"
    __table_args__ = (
        UniqueConstraint("workspace_id", "key"),
        CheckConstraint("expected_monthly_usage >= 0", name="expected_usage_non_negative"),
    )

    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(120))
    module: Mapped[str] = mapped_column(String(120))
    expected_usage_metric: Mapped[str] = mapped_column(String(200))  # e.g. "10+ cases/month"
    # Normalised to uses per 30 days; 0 means "any usage counts as adopted" (seed 004's API row).
    expected_monthly_usage: Mapped[float] = mapped_column(default=0.0)


class FeatureAdoption(IdMixin, TimestampMixin, Base):
    __tablename__ = "feature_adoptions"
    __table_args__ = (
        UniqueConstraint("client_id", "feature_id"),
        CheckConstraint("usage_30_days >= 0", name="usage_non_negative"),
        CheckConstraint("is_configured = false OR is_licensed = true", name="configured_needs_licence"),
        CheckConstraint(
            "adoption_percentile IS NULL OR (adoption_percentile >= 0 AND adoption_percentile <= 100)",
            name="percentile_range",
        ),
    )

    client_id: Mapped[int] = client_fk()
    feature_id: Mapped[int] = mapped_column(ForeignKey("features.id", ondelete="CASCADE"))
    is_licensed: Mapped[bool] = mapped_column(Boolean, default=False)
    licensed_at: Mapped[dt.datetime | None]
    is_configured: Mapped[bool] = mapped_column(Boolean, default=False)
    configured_at: Mapped[dt.datetime | None]
    adoption_status: Mapped[AdoptionStatus] = mapped_column(
        enum_type(AdoptionStatus), default=AdoptionStatus.NOT_LICENSED
    )
    last_used_at: Mapped[dt.datetime | None]
    usage_30_days: Mapped[int] = mapped_column(default=0)
    usage_trend: Mapped[UsageTrend] = mapped_column(enum_type(UsageTrend), default=UsageTrend.NO_USE)
    expected_usage: Mapped[float | None]
    adoption_percentile: Mapped[int | None]
    # The as_of day of the refresh that computed the usage columns, so readers can say how fresh they are.
    assessed_on: Mapped[dt.date | None] = mapped_column(Date)
