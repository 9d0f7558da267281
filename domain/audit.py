"""Audit log of every write and idempotency keys that make retried writes no-ops."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from domain.db import Base, IdMixin, TenantMixin


class AuditLog(IdMixin, TenantMixin, Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity_type", "entity_id"),)

    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64))  # "create" | "update" | "delete" | domain verbs
    entity_type: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
    channel: Mapped[str | None] = mapped_column(String(32))
    at: Mapped[dt.datetime] = mapped_column(default=lambda: dt.datetime.now(dt.UTC))


class IdempotencyKey(IdMixin, TenantMixin, Base):
    """Remembers the result of a write keyed by the caller's message id, so a retry returns it again."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    key: Mapped[str] = mapped_column(String(200))
    operation: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=lambda: dt.datetime.now(dt.UTC))


def record_audit(
    session: Session,
    *,
    workspace_id: int,
    actor_user_id: int | None,
    action: str,
    entity_type: str,
    entity_id: int | str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    channel: str | None = None,
) -> AuditLog:
    """Add an audit row in the caller's transaction; it commits or rolls back with the write."""
    row = AuditLog(
        workspace_id=workspace_id,
        actor_user_id=actor_user_id,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        before=before,
        after=after,
        channel=channel,
    )
    session.add(row)
    return row


def find_idempotent_result(session: Session, *, workspace_id: int, key: str) -> dict[str, Any] | None:
    """Return the stored result of an earlier write with this key, if there was one."""
    return session.scalar(
        select(IdempotencyKey.result).where(IdempotencyKey.workspace_id == workspace_id, IdempotencyKey.key == key)
    )


def remember_idempotent_result(
    session: Session, *, workspace_id: int, key: str, operation: str, result: dict[str, Any]
) -> None:
    session.add(IdempotencyKey(workspace_id=workspace_id, key=key, operation=operation, result=result))
