"""Churn model versions (coefficients plus backtest metrics) and per-client predictions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TenantMixin, client_fk


class ChurnModel(IdMixin, TenantMixin, Base):
    __tablename__ = "churn_models"
    __table_args__ = (UniqueConstraint("workspace_id", "version"),)

    version: Mapped[str] = mapped_column(String(40))  # "default-1" or "fit-2026-11-22-1"
    coefficients: Mapped[dict[str, Any]] = mapped_column()  # {"weights": {feature: w}, "intercepts": {"30": b, ...}}
    metrics: Mapped[dict[str, Any]] = mapped_column(default=dict)  # AUC, Brier, calibration bins
    trained_on_rows: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=lambda: dt.datetime.now(dt.UTC))


class ChurnPrediction(IdMixin, Base):
    __tablename__ = "churn_predictions"
    __table_args__ = (
        UniqueConstraint("client_id", "day", "model_id"),
        CheckConstraint(
            "probability_30d >= 0 AND probability_30d <= probability_60d"
            " AND probability_60d <= probability_90d AND probability_90d <= 1",
            name="probabilities_ordered",
        ),
        CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence_range"),
    )

    client_id: Mapped[int] = client_fk()
    day: Mapped[dt.date] = mapped_column(Date)
    model_id: Mapped[int] = mapped_column(ForeignKey("churn_models.id", ondelete="CASCADE"))
    probability_30d: Mapped[float]
    probability_60d: Mapped[float]
    probability_90d: Mapped[float]
    risk_band: Mapped[str] = mapped_column(String(10))  # low | medium | high (seed 004 bands on 90 days)
    factors: Mapped[list[dict[str, Any]]] = mapped_column(default=list)  # one per feature, see churn/views.py
    confidence: Mapped[float]
