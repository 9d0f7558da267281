"""Client tools: the overview a CSM reads before a call, and search over the client timeline."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Literal

from pydantic import BaseModel, Field

from domain.clients.overview import ClientOverview, client_overview
from domain.errors import DomainError
from domain.timeline.rules import date_window, in_window, parse_types
from domain.timeline.schemas import TimelineHit
from domain.timeline.service import MAX_LIMIT
from domain.timeline.service import search_timeline as search_service
from tools.base import ToolContext, ToolResult, cs_tool, resolve_client

logger = logging.getLogger(__name__)


class OverviewArgs(BaseModel):
    client: str = Field(description="The client's name.")


class OverviewResult(ToolResult):
    overview: ClientOverview


@cs_tool("get_client_overview", args=OverviewArgs)
def get_client_overview(args: OverviewArgs, context: ToolContext) -> OverviewResult:
    """A client at a glance: health, trend and 90-day history, churn risk, open alerts, recent activities, key
    contacts, renewal, outcome progress and engagement status. Use for "what's going on with X", QBR prep."""
    client = resolve_client(context, args.client)
    overview = client_overview(
        db_session=context.db_session, actor=context.actor, client_id=client.id, as_of=context.as_of, now=context.now
    )
    return OverviewResult(as_of=context.as_of, source_ids=overview.source_ids, overview=overview)


class TimelineArgs(BaseModel):
    query: str = Field(min_length=1, max_length=500, description="What to look for, in a few words.")
    client: str | None = Field(None, description="One client's timeline; omit to search all of yours.")
    types: list[str] | None = Field(
        None, description='Only these entry types: e.g. "note", "activity", "ticket", "alert", "activity:QBR".'
    )
    start: dt.date | None = Field(None, description="Only entries on or after this date.")
    end: dt.date | None = Field(None, description="Only entries on or before this date.")
    limit: int = Field(8, ge=1, le=50)


class TimelineResult(ToolResult):
    query: str
    client: str | None
    hits: list[TimelineHit]
    method: Literal["semantic", "keyword"] = "keyword"  # semantic: by meaning, score = similarity in %
    note: str | None = None  # why semantic search was not used, when it was not


@cs_tool("search_timeline", args=TimelineArgs)
def search_timeline(args: TimelineArgs, context: ToolContext) -> TimelineResult:
    """Search client timelines (activities, notes, tickets, surveys, feedback, risks, ...) for what was said
    or agreed, and for why something happened: "did anyone at Acme mention budget cuts?". Finds entries by
    meaning, not only by words; each hit has its source, date and author. Private notes only for their author."""
    client = resolve_client(context, args.client) if args.client else None
    client_id = client.id if client else None
    method: Literal["semantic", "keyword"] = "keyword"
    note = None
    hits: list[TimelineHit] | None = None
    if context.timeline_search is not None:
        try:
            hits = context.timeline_search(
                db_session=context.db_session,
                actor=context.actor,
                query=args.query,
                client_id=client_id,
                types=args.types,
                start=args.start,
                end=args.end,
                limit=args.limit,
            )
            method = "semantic"
        except DomainError:
            raise
        except Exception as problem:  # the index is derived data: without it, search the database itself
            logger.warning("semantic timeline search unavailable, using keyword search: %s", problem)
            note = "Semantic search is unavailable right now, so these are keyword matches from the database."
    if hits is None:
        hits = _keyword_hits(args, context, client_id)
    return TimelineResult(
        as_of=context.as_of,
        source_ids={"client": [client.id] if client else []},
        query=args.query,
        client=client.name if client else None,
        hits=hits,
        method=method,
        note=note,
    )


def _keyword_hits(args: TimelineArgs, context: ToolContext, client_id: int | None) -> list[TimelineHit]:
    filtered = bool(args.types or args.start or args.end)
    hits = search_service(
        db_session=context.db_session,
        actor=context.actor,
        query=args.query,
        client_id=client_id,
        limit=MAX_LIMIT if filtered else args.limit,
    )
    if not filtered:
        return hits
    type_filter = parse_types(args.types)
    since, until = date_window(args.start, args.end)
    return [hit for hit in hits if type_filter.accepts(hit) and in_window(hit, since, until)][: args.limit]
