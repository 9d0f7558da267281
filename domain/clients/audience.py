"""Who may see a set of clients: the check a shared channel applies before it shows an answer to everyone in it."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.access import Actor, visible_clients_clause
from domain.clients.models import Client


def clients_hidden_from_any(*, db_session: Session, actors: Iterable[Actor], client_ids: Collection[int]) -> set[int]:
    """The clients among `client_ids` that at least one of `actors` may not see (tenant and portfolio rules)."""
    wanted = set(client_ids)
    hidden: set[int] = set()
    for actor in actors:
        if not wanted - hidden:
            break
        visible = db_session.scalars(select(Client.id).where(Client.id.in_(wanted), visible_clients_clause(actor)))
        hidden |= wanted - set(visible)
    return hidden


def client_ids_named(*, db_session: Session, actor: Actor, names: Iterable[str]) -> set[int]:
    """Ids of the actor's tenant's clients with exactly these names (any case); unknown names are skipped."""
    lowered = {name.strip().lower() for name in names if name.strip()}
    if not lowered:
        return set()
    query = select(Client.id).where(Client.workspace_id == actor.workspace_id, func.lower(Client.name).in_(lowered))
    return set(db_session.scalars(query))
