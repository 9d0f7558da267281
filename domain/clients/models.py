"""Clients (seed 004's Client, seed 000's lead, seed 003's company) and their contacts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Numeric, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from domain.db import Base, IdMixin, TenantMixin, TimestampMixin, client_fk, enum_type
from domain.enums import (
    ContactRole,
    ContractTier,
    EngagementStatus,
    HealthStatus,
    HealthTrend,
    LifecycleStatus,
)


class Client(IdMixin, TenantMixin, TimestampMixin, Base):
    __tablename__ = "clients"
    __table_args__ = (
        UniqueConstraint("workspace_id", "name"),
        UniqueConstraint("workspace_id", "external_id"),
        CheckConstraint("annual_recurring_revenue >= 0", name="arr_non_negative"),
        CheckConstraint("employee_count >= 0", name="employee_count_non_negative"),
        CheckConstraint("licensed_user_count >= 0", name="licensed_users_non_negative"),
        CheckConstraint(
            "current_health_score IS NULL OR (current_health_score >= 0 AND current_health_score <= 100)",
            name="health_score_range",
        ),
        CheckConstraint(
            "churn_risk_score IS NULL OR (churn_risk_score >= 0 AND churn_risk_score <= 100)",
            name="churn_risk_range",
        ),
        CheckConstraint(
            "contract_end_date IS NULL OR contract_end_date >= contract_start_date", name="contract_dates_order"
        ),
        Index("ix_clients_workspace_csm", "workspace_id", "csm_user_id"),
    )

    name: Mapped[str] = mapped_column(String(200))
    external_id: Mapped[str | None] = mapped_column(String(100))  # platform organization id
    industry: Mapped[str] = mapped_column(String(100), default="Other")
    employee_count: Mapped[int | None]
    region: Mapped[str | None] = mapped_column(String(100))
    lifecycle_status: Mapped[LifecycleStatus] = mapped_column(
        enum_type(LifecycleStatus), default=LifecycleStatus.ACTIVE
    )

    contract_tier: Mapped[ContractTier] = mapped_column(enum_type(ContractTier))
    contract_start_date: Mapped[dt.date] = mapped_column(Date)
    contract_end_date: Mapped[dt.date | None] = mapped_column(Date)
    annual_recurring_revenue: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    licensed_modules: Mapped[list[str]] = mapped_column(default=list)
    licensed_user_count: Mapped[int | None]

    csm_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    ae_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    # Denormalised from the latest score snapshot so portfolio lists need no aggregation.
    current_health_score: Mapped[int | None]
    health_status: Mapped[HealthStatus | None] = mapped_column(enum_type(HealthStatus))
    health_trend: Mapped[HealthTrend | None] = mapped_column(enum_type(HealthTrend))
    churn_risk_score: Mapped[int | None]

    salesforce_account_id: Mapped[str | None] = mapped_column(String(40))
    hubspot_company_id: Mapped[str | None] = mapped_column(String(40))
    crm_sync_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    last_crm_sync_at: Mapped[dt.datetime | None]

    go_live_date: Mapped[dt.date | None] = mapped_column(Date)
    last_activity_at: Mapped[dt.datetime | None]
    last_csm_contact_at: Mapped[dt.datetime | None]
    next_renewal_date: Mapped[dt.date | None] = mapped_column(Date, index=True)

    tags: Mapped[list[str]] = mapped_column(default=list)
    segment: Mapped[str | None] = mapped_column(String(100))

    contacts: Mapped[list[Contact]] = relationship(back_populates="client", cascade="all, delete-orphan")


class Contact(IdMixin, TimestampMixin, Base):
    __tablename__ = "contacts"
    __table_args__ = (
        UniqueConstraint("client_id", "email"),
        CheckConstraint("left_company_at IS NULL OR is_active = false", name="left_means_inactive"),
    )

    client_id: Mapped[int] = client_fk()
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str | None] = mapped_column(String(120))
    role: Mapped[ContactRole] = mapped_column(enum_type(ContactRole), default=ContactRole.USER)
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    is_billing: Mapped[bool] = mapped_column(Boolean, default=False)
    is_technical: Mapped[bool] = mapped_column(Boolean, default=False)
    # The contact's user id on the client's platform, matching EngagementEvent.user_ref.
    platform_user_ref: Mapped[str | None] = mapped_column(String(100))
    last_platform_login: Mapped[dt.datetime | None]
    last_csm_contact: Mapped[dt.datetime | None]
    engagement_status: Mapped[EngagementStatus] = mapped_column(
        enum_type(EngagementStatus), default=EngagementStatus.ACTIVE
    )
    notes: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Seed 001's weekly client success email is opt-in per contact.
    weekly_email_opt_in: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    left_company_at: Mapped[dt.datetime | None]

    client: Mapped[Client] = relationship(back_populates="contacts")
