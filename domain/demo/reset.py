"""reset_demo: delete the demo tenant, every table's rows children first, so no RESTRICT key can object."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Table, delete, or_, select
from sqlalchemy.orm import Session

import domain.models  # noqa: F401  (registers every table in Base.metadata, or some would be missed)
from domain.db import Base
from domain.demo.staff import DEMO_WORKSPACE_SLUG
from domain.staff.models import Workspace


def reset_demo(*, db_session: Session) -> bool:
    """Delete the demo workspace and everything in it; True if one existed. Flushes, the caller commits."""
    workspace_id = db_session.scalar(select(Workspace.id).where(Workspace.slug == DEMO_WORKSPACE_SLUG))
    if workspace_id is None:
        return False
    db_session.flush()
    scopes = tenant_scopes(workspace_id)
    for table in reversed(Base.metadata.sorted_tables):
        if table.name in scopes:
            db_session.execute(delete(table).where(scopes[table.name]))
    # Objects loaded earlier describe rows that are gone; a new demo may reuse their ids.
    db_session.expunge_all()
    return True


def tenant_scopes(workspace_id: int) -> dict[str, ColumnElement[bool]]:
    """For each table holding tenant rows, the WHERE clause that selects this tenant's rows.

    A row belongs to the tenant when it names the workspace, or when an ON DELETE CASCADE key (the
    ownership links: client_fk, contacts, proposals, ...) points at a row that belongs to it.
    """
    scopes: dict[str, ColumnElement[bool]] = {}
    for table in Base.metadata.sorted_tables:  # parents before children
        scope = _scope(table, scopes, workspace_id)
        if scope is not None:
            scopes[table.name] = scope
    return scopes


def _scope(table: Table, scopes: dict[str, ColumnElement[bool]], workspace_id: int) -> ColumnElement[bool] | None:
    if table.name == Workspace.__tablename__:
        return table.c.id == workspace_id
    if "workspace_id" in table.c:
        return table.c.workspace_id == workspace_id
    owners = [
        foreign_key.parent.in_(select(foreign_key.column).where(scopes[foreign_key.column.table.name]))
        for foreign_key in sorted(table.foreign_keys, key=lambda key: key.parent.name)
        if foreign_key.ondelete == "CASCADE" and foreign_key.column.table.name in scopes
    ]
    return or_(*owners) if owners else None
