"""Semantic search over client timelines: metadata filter in the index, then the domain check on every hit.

Access is enforced twice. The Chroma query is filtered to the actor's tenant, to the clients they may see
and to entries that are not private unless the actor wrote them; then `guard.recheck` re-reads every hit
from the database through the domain's scopes. Results are ordered by similarity.

`semantic_search` raises `IndexUnavailableError` when the index cannot serve (server down, index too large
to build inline); `TimelineSearcher` is what the agent injects into tools, and the search_timeline tool
falls back to the database keyword search, saying so, when it raises.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agent.retrieval.config import RetrievalConfig
from agent.retrieval.documents import without_name
from agent.retrieval.guard import recheck
from agent.retrieval.index import Candidate, IndexUnavailableError, TimelineIndex, forget_index, open_index
from agent.retrieval.sync import IndexTooLargeError, sync_workspace
from domain.access import Actor, get_visible_client, visible_clients_clause
from domain.clients.models import Client
from domain.errors import ValidationError
from domain.settings import Settings
from domain.timeline.rules import TypeFilter, date_window, in_window, matched_words, parse_types, ranking_words
from domain.timeline.schemas import TimelineHit

logger = logging.getLogger(__name__)

MAX_LIMIT = 50
OVERFETCH = 3  # candidates per wanted hit: some fail the domain check or a subtype filter
RERANK_POOL = 50  # nearest neighbours re-ranked with the literal-word boost
MAX_CANDIDATES = 300
POST_FILTER_MAX = 600  # deepest unfiltered query worth trying before Chroma's (slow) metadata filter
POST_FILTER_SLACK = 1.5  # entries are not spread evenly over clients: query a little deeper than the share
EXACT_MAX_ENTRIES = 20_000  # up to this many stored entries, every search reads its scope whole and ranks exactly
SCAN_MAX_CLIENTS = 3  # scopes this narrow are read whole (a client holds hundreds of entries, not thousands)
LEXICAL_WEIGHT = 0.2  # similarity + 0.2 x share of the query's words found literally (hybrid ranking)
NEAR_COPY = 0.95  # cosine above which two entries of one client say the same thing
COPY_PENALTY = 0.1
_BUILD_LOCK = threading.Lock()


def semantic_search(
    *,
    db_session: Session,
    actor: Actor,
    settings: Settings | RetrievalConfig,
    query: str,
    client_id: int | None = None,
    types: Collection[str] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    limit: int = 5,
    index: TimelineIndex | None = None,
) -> list[TimelineHit]:
    """The timeline entries most similar in meaning to `query` that the actor may read, best first.

    `client_id` narrows to one client (which must be visible); `types` takes what the timeline takes
    (kinds, groups, "activity:QBR", ...); `start`/`end` are inclusive dates. Each hit's `score` is the
    cosine similarity in percent and `matched_words` the query words it also contains literally; hits are
    ordered by similarity plus a small boost for those literal words (hybrid ranking).
    """
    text = " ".join(query.split())
    if not text:
        raise ValidationError("search for at least one word")
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    type_filter = parse_types([types] if isinstance(types, str) else list(types or []))
    since, until = date_window(start, end)
    clients = _client_scope(db_session, actor, client_id)
    if clients is not None and not clients:
        return []
    config = settings if isinstance(settings, RetrievalConfig) else RetrievalConfig.from_settings(settings)
    index = index or open_index(config)
    ensure_built(db_session=db_session, index=index, workspace_id=actor.workspace_id, limit=config.auto_build_limit)
    if client_id is not None:  # the filter already names the client; its name in the question is noise
        text = _without_client(text, db_session.get(Client, client_id))
    scope = SearchScope(actor, clients, type_filter, since, until)
    share = _scope_share(db_session, actor, clients) if scope.post_filterable else 0.0
    vector = index.embedder.embed_query(text)
    words = ranking_words(text)
    wanted = min(MAX_CANDIDATES, max(RERANK_POOL, limit * OVERFETCH))
    while True:
        try:
            pool, complete = scoped_query(index, vector, scope, share, wanted, needed=limit * OVERFETCH)
        except IndexUnavailableError:
            forget_index(config)  # reopen next time: a damaged store is then set aside and rebuilt
            raise
        hits = _checked_hits(db_session, actor, diversify(pool, words), limit, type_filter, since, until, words)
        if len(hits) >= limit or complete or wanted >= MAX_CANDIDATES:
            return hits[:limit]
        wanted = min(MAX_CANDIDATES, wanted * 3)  # many candidates failed the domain check: look further


def _checked_hits(
    db_session: Session,
    actor: Actor,
    ranked: Sequence[Candidate],
    limit: int,
    type_filter: TypeFilter,
    since: dt.datetime | None,
    until: dt.datetime | None,
    words: Sequence[str],
) -> list[TimelineHit]:
    """The best candidates that pass the domain check, re-read from the database; checked a chunk at a time."""
    hits: list[TimelineHit] = []
    step = limit * OVERFETCH
    for start_at in range(0, len(ranked), step):
        chunk = ranked[start_at : start_at + step]
        fresh = recheck(db_session, actor, chunk)
        for candidate in chunk:
            entry = fresh.get(candidate.entry_id)
            if entry is None or not type_filter.accepts(entry) or not in_window(entry, since, until):
                continue
            score = round(max(0.0, candidate.similarity) * 100)
            hits.append(TimelineHit(**entry.model_dump(), score=score, matched_words=matched_words(entry, words)))
        if len(hits) >= limit:
            break
    return hits


def _rank(candidate: Candidate, words: Sequence[str]) -> tuple[float, dt.datetime]:
    """Similarity plus a boost for the share of query words the entry contains literally; newer breaks ties."""
    if not words:
        return candidate.similarity, candidate.occurred_at
    text = candidate.document.casefold()
    found = sum(1 for word in words if word in text or (len(word) > 3 and word.endswith("s") and word[:-1] in text))
    return candidate.similarity + LEXICAL_WEIGHT * found / len(words), candidate.occurred_at


def diversify(candidates: Sequence[Candidate], words: Sequence[str]) -> list[Candidate]:
    """Best first by `_rank`, then a greedy pass that demotes near-copies of an entry already chosen for its client.

    Templated rows (a client's monthly invoices, a ticket logged twice) would otherwise fill every slot
    with one fact; entries of different clients are never copies of each other, however alike their text.
    """
    import numpy as np  # only searches pay for numpy's import

    ranked = sorted(candidates, key=lambda candidate: _rank(candidate, words), reverse=True)
    if len(ranked) < 2:
        return ranked
    base = np.array([_rank(candidate, words)[0] for candidate in ranked])
    similarity = _similarities(ranked)
    clients = np.array([candidate.client_id for candidate in ranked])
    same_client = clients[:, None] == clients[None, :]
    copy = np.zeros(len(ranked))  # each candidate's similarity to the closest chosen entry of its client
    available = np.ones(len(ranked), dtype=bool)
    order: list[int] = []
    for _ in range(len(ranked)):
        value = np.where(copy > NEAR_COPY, (1 - COPY_PENALTY) * base - COPY_PENALTY * copy, base)
        value[~available] = -np.inf
        best = int(np.argmax(value))
        order.append(best)
        available[best] = False
        copy = np.maximum(copy, np.where(same_client[best], similarity[best], 0.0))
    return [ranked[position] for position in order]


def _similarities(ranked: Sequence[Candidate]) -> Any:
    import numpy as np

    if all(candidate.vector is not None for candidate in ranked):
        vectors = np.stack([candidate.vector for candidate in ranked if candidate.vector is not None])
        return np.einsum("ij,kj->ik", vectors, vectors)  # no BLAS threads: they stall on a busy machine
    documents = [candidate.document for candidate in ranked]
    return np.array([[1.0 if first == second else 0.0 for second in documents] for first in documents])


def _without_client(text: str, client: Client | None) -> str:
    """The question without the client's name ("did Acme's CFO ..." -> "did CFO ..."), unless that leaves nothing."""
    if client is None:
        return text
    cleaned = without_name(text, client.name)
    first = client.name.split()[0].rstrip(",.")
    if len(first) > 2:
        cleaned = re.sub(rf"\b{re.escape(first)}(?:'s|\u2019s)?(?=\W|$)", "", cleaned, flags=re.IGNORECASE)
    cleaned = " ".join(cleaned.split())
    return cleaned if len(cleaned) >= 3 else text


def _client_scope(db_session: Session, actor: Actor, client_id: int | None) -> list[int] | None:
    """Client ids the filter keeps; None when the actor sees the whole tenant (the tenant filter suffices)."""
    if client_id is not None:
        return [get_visible_client(db_session, actor, client_id).id]
    if actor.sees_whole_tenant:
        return None
    return list(db_session.scalars(select(Client.id).where(visible_clients_clause(actor)).order_by(Client.id)))


def build_where(
    actor: Actor,
    clients: Sequence[int] | None,
    type_filter: TypeFilter,
    since: dt.datetime | None,
    until: dt.datetime | None,
) -> dict[str, Any]:
    """The Chroma filter: tenant, the actor's clients, private entries only for their author, kinds, dates."""
    conditions: list[dict[str, Any]] = [
        {"workspace_id": actor.workspace_id},
        {"$or": [{"is_private": False}, {"author_user_id": actor.user_id}]},
    ]
    if clients is not None:
        conditions.append({"client_id": {"$in": list(clients)}})
    if type_filter.selectors is not None:
        options = [
            {"kind": selector.kind.value}
            if selector.subtype is None
            else {"$and": [{"kind": selector.kind.value}, {"subtype": selector.subtype}]}
            for selector in sorted(type_filter.selectors, key=lambda item: (item.kind.value, item.subtype or ""))
        ]
        conditions.append(options[0] if len(options) == 1 else {"$or": options})
    if since is not None:
        conditions.append({"occurred_ts": {"$gte": int(since.timestamp())}})
    if until is not None:
        conditions.append({"occurred_ts": {"$lt": int(until.timestamp())}})
    return {"$and": conditions}


@dataclass(frozen=True, slots=True)
class SearchScope:
    """What a search may return, as a Chroma filter and as the same test on a candidate's stored metadata."""

    actor: Actor
    clients: Sequence[int] | None
    type_filter: TypeFilter
    since: dt.datetime | None
    until: dt.datetime | None

    @property
    def where(self) -> dict[str, Any]:
        return build_where(self.actor, self.clients, self.type_filter, self.since, self.until)

    @property
    def post_filterable(self) -> bool:
        """Kinds and dates are left to the filtered query; tenant, clients and privacy are checked here."""
        return self.type_filter.selectors is None and self.since is None and self.until is None

    def admits(self, metadata: Mapping[str, Any]) -> bool:
        if metadata.get("workspace_id") != self.actor.workspace_id:
            return False
        if metadata.get("is_private") and metadata.get("author_user_id") != self.actor.user_id:
            return False
        return self.clients is None or metadata.get("client_id") in self.clients


def _scope_share(db_session: Session, actor: Actor, clients: Sequence[int] | None) -> float:
    """The share of the tenant's clients in scope: how deep an unfiltered query must go to fill the pool."""
    if clients is None:
        return 1.0
    total = db_session.scalar(select(func.count()).where(Client.workspace_id == actor.workspace_id)) or 1
    return len(clients) / total


class ScopedPool(NamedTuple):
    candidates: list[Candidate]
    complete: bool  # nothing else in scope lies nearer: looking deeper cannot find more


def scoped_query(
    index: TimelineIndex, vector: Any, scope: SearchScope, share: float, wanted: int, needed: int
) -> ScopedPool:
    """Up to `wanted` nearest entries in scope, in order; at least `needed` unless the scope holds fewer.

    Chroma evaluates a metadata filter over the whole collection before its vector search (hundreds of ms at
    100,000 entries), while an unfiltered query is a few ms. So a scope of a client or three is read whole
    (a filter on clients alone is cheap) and ranked exactly; a wider scope is queried unfiltered a little
    deeper than its share, keeping what the scope admits: the survivors are exactly the scope's nearest, in
    order. Only when fewer than `needed` survive is the filtered query run."""
    if index.approximate_size() <= EXACT_MAX_ENTRIES:  # small stores: exact and deterministic, still fast
        return ScopedPool(_scan(index, vector, scope.where, wanted), complete=True)
    if scope.clients is not None and len(scope.clients) <= SCAN_MAX_CLIENTS:
        read = _scan(index, vector, {"client_id": {"$in": list(scope.clients)}}, None)
        return ScopedPool([c for c in read if scope.admits(c.metadata)][:wanted], complete=True)
    depth = round(wanted / share * POST_FILTER_SLACK) if share > 0 else POST_FILTER_MAX + 1
    if depth <= POST_FILTER_MAX:
        nearest = _query(index, vector, None, depth)
        kept = [candidate for candidate in nearest if scope.admits(candidate.metadata)]
        if len(nearest) < depth:  # the collection holds no more
            return ScopedPool(kept[:wanted], complete=True)
        if len(kept) >= needed:
            return ScopedPool(kept[:wanted], complete=False)
    if scope.clients is None or not scope.post_filterable:
        filtered = _query(index, vector, scope.where, wanted)
        return ScopedPool(filtered, complete=len(filtered) < wanted)
    # One condition on clients costs a fraction of the full conjunction; tenant and privacy are checked here.
    read = _query(index, vector, {"client_id": {"$in": list(scope.clients)}}, wanted)
    return ScopedPool([c for c in read if scope.admits(c.metadata)], complete=len(read) < wanted)


def _scan(index: TimelineIndex, vector: Any, where: dict[str, Any], wanted: int | None) -> list[Candidate]:
    try:
        return index.scan(vector, where, wanted)
    except Exception as problem:
        raise IndexUnavailableError(f"the timeline index at {index.location} failed a read: {problem}") from problem


def _query(index: TimelineIndex, vector: Any, where: dict[str, Any] | None, wanted: int) -> list[Candidate]:
    try:
        return index.query(vector, where, wanted)
    except Exception as problem:
        raise IndexUnavailableError(f"the timeline index at {index.location} failed a query: {problem}") from problem


def ensure_built(*, db_session: Session, index: TimelineIndex, workspace_id: int, limit: int | None) -> None:
    """Build a workspace's index inline when it was never built (first use, or the store was reset)."""
    if index.built_at(workspace_id) is not None:
        return
    with _BUILD_LOCK:
        if index.built_at(workspace_id) is not None:
            return
        logger.info("timeline index for workspace %s is missing; building it from the database", workspace_id)
        try:
            sync_workspace(db_session=db_session, index=index, workspace_id=workspace_id, limit=limit)
        except IndexTooLargeError as problem:
            raise IndexUnavailableError(str(problem)) from problem


class TimelineSearcher:
    """The semantic search the agent hands to tools (ToolContext.timeline_search); cheap to construct.

    Nothing is opened or loaded until the first search, so turns that never search never import
    chromadb, torch or the model.
    """

    def __init__(self, settings: Settings | RetrievalConfig) -> None:
        self.config = settings if isinstance(settings, RetrievalConfig) else RetrievalConfig.from_settings(settings)

    def __call__(
        self,
        *,
        db_session: Session,
        actor: Actor,
        query: str,
        client_id: int | None = None,
        types: Collection[str] | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        limit: int = 5,
    ) -> list[TimelineHit]:
        return semantic_search(
            db_session=db_session,
            actor=actor,
            settings=self.config,
            query=query,
            client_id=client_id,
            types=types,
            start=start,
            end=end,
            limit=limit,
        )
