"""The second access check: every index hit is re-read from the database as the actor before it is returned.

The index's metadata filter already kept to the actor's tenant, clients and readable notes; this check
does not trust it. A hit survives only if the database, read through the domain's scopes (tenant and
portfolio, private notes for their author only), still produces that entry: so a client moved to another
CSM, a note made private, or a row deleted since the index was written never reaches the agent, and the
entry returned is the database's current version, not the index's copy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from agent.retrieval.index import Candidate
from domain.access import Actor, can_see_note, visible_clients_clause, visible_notes_clause
from domain.activities.models import Note
from domain.clients.models import Client
from domain.timeline.schemas import TimelineEntry, TimelineKind
from domain.timeline.sources import SourceScope, load_entries

WINDOW_SLACK = dt.timedelta(days=2)  # SourceScope bounds prune rows; a little slack keeps edge entries


def recheck(db_session: Session, actor: Actor, candidates: Sequence[Candidate]) -> dict[str, TimelineEntry]:
    """The candidates the actor may read, by entry id, as the database holds them now."""
    if not candidates:
        return {}
    client_ids = sorted({candidate.client_id for candidate in candidates})
    visible = set(db_session.scalars(select(Client.id).where(visible_clients_clause(actor), Client.id.in_(client_ids))))
    wanted = [candidate for candidate in candidates if candidate.client_id in visible]
    if not wanted:
        return {}
    kinds = {TimelineKind(candidate.kind) for candidate in wanted}
    scope = SourceScope(
        clients=and_(visible_clients_clause(actor), Client.id.in_(sorted({c.client_id for c in wanted}))),
        notes=visible_notes_clause(actor),
        since=min(candidate.occurred_at for candidate in wanted) - WINDOW_SLACK,
        until=max(candidate.occurred_at for candidate in wanted) + WINDOW_SLACK,
    )
    ids = {candidate.entry_id for candidate in wanted}
    fresh = {entry.entry_id: entry for entry in load_entries(db_session, scope, kinds) if entry.entry_id in ids}
    return {entry_id: entry for entry_id, entry in fresh.items() if _readable(db_session, actor, entry)}


def _readable(db_session: Session, actor: Actor, entry: TimelineEntry) -> bool:
    """Belt and braces on top of the scoped read: the tenant again, and can_see_note on the note row itself."""
    if entry.workspace_id != actor.workspace_id:
        return False
    if entry.kind is TimelineKind.NOTE:
        note = db_session.get(Note, entry.source_id)
        return note is not None and can_see_note(actor, note)
    return not entry.is_private or entry.author_user_id == actor.user_id
