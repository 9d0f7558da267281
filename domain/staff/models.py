"""Workspaces (tenants, seed 003's companyHQ) and the staff who use csagent."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TenantMixin, TimestampMixin, enum_type
from domain.enums import Role


class Workspace(IdMixin, TimestampMixin, Base):
    __tablename__ = "workspaces"

    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")


class User(IdMixin, TimestampMixin, Base):
    """A staff member: CSM, senior CSM, AE, VP, admin or consultant."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        CheckConstraint("briefing_hour >= 0 AND briefing_hour <= 23", name="briefing_hour_range"),
    )

    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    # Unique across tenants: an email identifies one person wherever they sign in (CLI --as, Slack lookup).
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_type(Role))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    slack_user_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Web sign-in; a hash (never the password), None until one is set.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # Briefing preferences (issue: daily briefings); channels is a list such as ["slack", "email"].
    briefing_channels: Mapped[list[str]] = mapped_column(default=lambda: ["slack"])
    briefing_hour: Mapped[int] = mapped_column(default=8)
    briefing_weekdays: Mapped[list[str]] = mapped_column(default=lambda: ["mon", "tue", "wed", "thu", "fri"])
    briefing_opt_out: Mapped[bool] = mapped_column(Boolean, default=False)
    last_briefed_at: Mapped[dt.datetime | None]


class ApiToken(IdMixin, TenantMixin, Base):
    """A personal bearer token for the REST API and web chat; only its hash is stored."""

    __tablename__ = "api_tokens"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    # The first characters of the token, shown in listings so a user can tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(default=lambda: dt.datetime.now(dt.UTC))
    last_used_at: Mapped[dt.datetime | None]
    expires_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
