"""The unified client timeline: a client's events page by page, keyword search, and an export for indexing."""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Collection, Iterable, Iterator

from sqlalchemy import ColumnElement, and_, true
from sqlalchemy.orm import Session

from domain.access import Actor, get_visible_client, visible_clients_clause, visible_notes_clause
from domain.clients.models import Client
from domain.errors import ValidationError
from domain.timeline.rules import (
    Position,
    TypeFilter,
    date_window,
    decode_cursor,
    encode_cursor,
    in_window,
    matched_words,
    matches_all,
    parse_types,
    query_words,
    ranking_words,
    sort_key,
)
from domain.timeline.schemas import TimelineEntry, TimelineHit, TimelinePage
from domain.timeline.sources import SourceScope, load_entries

MAX_LIMIT = 500


def client_timeline(
    *,
    db_session: Session,
    actor: Actor,
    client_id: int,
    start: dt.date | None = None,
    end: dt.date | None = None,
    types: Collection[str] | None = None,
    text: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> TimelinePage:
    """A client's events newest first, filtered by inclusive dates, types and words (all must appear).

    Private notes appear only to their author. Pass the page's `next_cursor` as `cursor` for the next page.
    """
    client = get_visible_client(db_session, actor, client_id)
    _check_limit(limit)
    type_values = [types] if isinstance(types, str) else list(types or [])  # one bare type is not its letters
    type_filter = parse_types(type_values)
    words = query_words(text)
    since, until = date_window(start, end)
    position = decode_cursor(cursor) if cursor else None
    scope = SourceScope(
        clients=Client.id == client.id,
        notes=visible_notes_clause(actor),
        since=since,
        until=_earliest(until, position.occurred_at if position else None),
    )
    candidates = load_entries(db_session, scope, type_filter.kinds)
    kept = (entry for entry in candidates if _keeps(entry, type_filter, since, until, words, position))
    newest = heapq.nlargest(limit + 1, kept, key=sort_key)  # one extra tells whether another page exists
    page = newest[:limit]
    return TimelinePage(
        client_id=client.id,
        client_name=client.name,
        start=start,
        end=end,
        types=type_values,
        text=text,
        entries=page,
        next_cursor=encode_cursor(page[-1]) if len(newest) > limit else None,
    )


def _keeps(
    entry: TimelineEntry,
    type_filter: TypeFilter,
    since: dt.datetime | None,
    until: dt.datetime | None,
    words: list[str],
    position: Position | None,
) -> bool:
    return (
        type_filter.accepts(entry)
        and in_window(entry, since, until)
        and (position is None or position.precedes(entry))
        and matches_all(entry, words)
    )


def _earliest(*moments: dt.datetime | None) -> dt.datetime | None:
    known = [moment for moment in moments if moment is not None]
    return min(known) if known else None


def _check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")


def search_timeline(
    *,
    db_session: Session,
    actor: Actor,
    query: str,
    client_id: int | None = None,
    limit: int = 10,
) -> list[TimelineHit]:
    """Keyword search over the timelines of the actor's clients (or one client), private notes respected.

    A hit contains at least one query word (case-insensitive; a plural also matches its singular); hits
    matching more distinct words come first, then newer ones. Common words are ignored unless the query
    is nothing else. This is the database fallback for semantic search.
    """
    words = ranking_words(query)
    if not words:
        raise ValidationError("search for at least one word")
    _check_limit(limit)
    clients: ColumnElement[bool] = (
        visible_clients_clause(actor)
        if client_id is None
        else Client.id == get_visible_client(db_session, actor, client_id).id
    )
    scope = SourceScope(clients=clients, notes=visible_notes_clause(actor))
    scored = ((matched_words(entry, words), entry) for entry in load_entries(db_session, scope))
    best = heapq.nlargest(
        limit,
        ((found, entry) for found, entry in scored if found),
        key=lambda pair: (len(pair[0]), *sort_key(pair[1])),
    )
    return [TimelineHit(**entry.model_dump(), score=len(found), matched_words=found) for found, entry in best]


def iter_timeline_entries(
    *,
    db_session: Session,
    workspace_id: int,
    client_ids: Iterable[int] | None = None,
    since: dt.datetime | None = None,
    batch_size: int = 500,
) -> Iterator[list[TimelineEntry]]:
    """Every timeline entry of a workspace (or of some of its clients) in batches, for the vector index.

    No actor: this is a system export. Private notes are included, flagged `is_private` with their author,
    so whoever serves the index must filter them per reader. `since` keeps entries whose source row was
    created or changed at or after it (rows without such timestamps: whose event occurred since), which is
    what an incremental refresh needs; entries come grouped by source, not in time order.
    """
    if since is not None and since.tzinfo is None:
        raise ValidationError("since must be timezone-aware")
    if batch_size < 1:
        raise ValidationError(f"batch_size must be positive, not {batch_size}")
    clients: ColumnElement[bool] = Client.workspace_id == workspace_id
    if client_ids is not None:
        clients = and_(clients, Client.id.in_(list(client_ids)))
    scope = SourceScope(clients=clients, notes=true(), changed_since=since, batch_size=batch_size)
    batch: list[TimelineEntry] = []
    for entry in load_entries(db_session, scope):
        batch.append(entry)
        if len(batch) == batch_size:
            yield batch
            batch = []
    if batch:
        yield batch
