"""The Chroma collection holding timeline vectors: opened embedded (a folder) or against a Chroma server.

One collection per embedding model holds every workspace; each record's metadata names its workspace,
and every read filters on it. Telemetry is off. Vectors are always computed by our embedder and passed
explicitly; the collection is opened with our embedding function so Chroma's default is never loaded.
An embedded store that cannot be opened (corrupt files) is moved aside and started afresh: the database
is the source of truth and the next search or `csagent index rebuild` fills it again.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent.retrieval.config import RetrievalConfig, server_address
from agent.retrieval.documents import IndexedEntry, Metadata, chroma_id
from agent.retrieval.embeddings import Embedder, chroma_embedding_function, float32, get_embedder

if TYPE_CHECKING:
    from agent.retrieval.embeddings import Vectors

logger = logging.getLogger(__name__)

COLLECTION_PREFIX = "csagent-timeline"
READ_PAGE = 5_000
WRITE_BATCH = 1_000

_OPEN_LOCK = threading.Lock()
_OPEN: dict[tuple[str, str], TimelineIndex] = {}


class IndexUnavailableError(RuntimeError):
    """The vector index cannot be reached or opened; callers fall back to keyword search."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A nearest neighbour as the index knows it, before the domain check."""

    entry_id: str
    client_id: int
    kind: str
    source_type: str
    source_id: int
    occurred_at: dt.datetime
    similarity: float
    document: str = ""  # the text that was embedded
    vector: Vectors | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)  # as stored: tenant, privacy, author, ...


@dataclass(frozen=True, slots=True)
class UpsertCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: UpsertCounts) -> UpsertCounts:
        return UpsertCounts(self.added + other.added, self.updated + other.updated, self.unchanged + other.unchanged)


class TimelineIndex:
    """Timeline vectors of every workspace in one collection; all reads are filtered by workspace."""

    def __init__(self, collection: Any, embedder: Embedder, location: str) -> None:
        self.collection = collection
        self.embedder = embedder
        self.location = location
        self._write_lock = threading.Lock()
        self._size: tuple[float, int] | None = None  # (monotonic time read, records)

    def approximate_size(self, max_age: float = 60.0) -> int:
        """How many records the store holds, re-counted at most every `max_age` seconds (a count costs ~7 ms
        at 100,000 records; searches only use it to choose how to read, never to decide what they return)."""
        now = time.monotonic()
        if self._size is None or now - self._size[0] > max_age:
            self._size = (now, int(self.collection.count()))
        return self._size[1]

    # ------------------------------------------------------------------------------------------ writes

    def upsert(self, items: Sequence[IndexedEntry]) -> UpsertCounts:
        """Embed and store the entries whose content changed; unchanged ones cost one metadata read."""
        if not items:
            return UpsertCounts()
        known = self.stored_hashes([item.chroma_id for item in items])
        changed = [item for item in items if known.get(item.chroma_id) != item.content_hash]
        if changed:
            vectors = self._embed_unique([item.text for item in changed])
            with self._write_lock:
                for start in range(0, len(changed), WRITE_BATCH):
                    part = changed[start : start + WRITE_BATCH]
                    self.collection.upsert(
                        ids=[item.chroma_id for item in part],
                        embeddings=vectors[start : start + WRITE_BATCH],
                        metadatas=[item.metadata for item in part],
                        documents=[item.text for item in part],
                    )
        added = sum(1 for item in changed if item.chroma_id not in known)
        return UpsertCounts(added, len(changed) - added, len(items) - len(changed))

    def _embed_unique(self, texts: list[str]) -> Vectors:
        """Embed each distinct text once (templated entries repeat word for word)."""
        unique = list(dict.fromkeys(texts))
        vectors = self.embedder.embed_documents(unique)
        if len(unique) == len(texts):
            return vectors
        position = {text: number for number, text in enumerate(unique)}
        return vectors[[position[text] for text in texts]]

    def delete(self, chroma_ids: Sequence[str]) -> int:
        ids = list(dict.fromkeys(chroma_ids))
        with self._write_lock:
            for start in range(0, len(ids), WRITE_BATCH):
                self.collection.delete(ids=ids[start : start + WRITE_BATCH])
        return len(ids)

    def drop_workspace(self, workspace_id: int) -> int:
        ids = [record_id for record_id, _ in self.records(workspace_id)]
        self.delete(ids)
        self.set_built(workspace_id, None)
        return len(ids)

    # ------------------------------------------------------------------------------------------- reads

    def stored_hashes(self, chroma_ids: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for start in range(0, len(chroma_ids), READ_PAGE):
            page = self.collection.get(ids=list(chroma_ids[start : start + READ_PAGE]), include=["metadatas"])
            for record_id, metadata in zip(page["ids"], page["metadatas"] or [], strict=True):
                found[record_id] = str((metadata or {}).get("content_hash", ""))
        return found

    def records(self, workspace_id: int, where: dict[str, Any] | None = None) -> Iterator[tuple[str, Metadata]]:
        """(chroma id, metadata) of a workspace's records, optionally narrowed by another condition."""
        condition: dict[str, Any] = {"workspace_id": workspace_id}
        if where:
            condition = {"$and": [condition, where]}
        offset = 0
        while True:
            page = self.collection.get(where=condition, include=["metadatas"], limit=READ_PAGE, offset=offset)
            ids = page["ids"]
            yield from zip(ids, page["metadatas"] or [], strict=True)
            if len(ids) < READ_PAGE:
                return
            offset += READ_PAGE

    def count(self, workspace_id: int) -> int:
        return sum(1 for _ in self.records(workspace_id))

    def scan(self, vector: Vectors, where: dict[str, Any], limit: int | None = None) -> list[Candidate]:
        """Exact nearest records among those matching `where`, by reading them all: for narrow filters (a client),
        where Chroma's filtered vector query costs far more than fetching the few matching records."""
        import numpy as np  # only searches pay for numpy's import

        result = self.collection.get(where=where, include=["metadatas", "documents", "embeddings"])
        embeddings = result.get("embeddings")
        if embeddings is None or not len(embeddings):
            return []
        matrix = float32(embeddings)
        query = float32(vector)
        norms = np.linalg.norm(matrix, axis=1) * (np.linalg.norm(query) or 1.0)
        similarities = np.einsum("ij,j->i", matrix, query) / np.where(norms == 0, 1.0, norms)
        order = np.argsort(-similarities)[:limit]
        metadatas, documents = result["metadatas"] or [], result["documents"] or []
        return [
            _candidate(metadatas[i], float(similarities[i]), documents[i], matrix[i]) for i in (int(j) for j in order)
        ]

    def query(self, vector: Vectors, where: dict[str, Any] | None, limit: int) -> list[Candidate]:
        """The `limit` nearest records matching `where` (None: any record), most similar first."""
        result = self.collection.query(
            query_embeddings=[vector],
            n_results=limit,
            where=where,
            include=["metadatas", "distances", "documents", "embeddings"],
        )
        candidates = []
        vectors = result["embeddings"][0] if result.get("embeddings") is not None else [None] * len(result["ids"][0])
        rows = zip(result["metadatas"][0], result["distances"][0], result["documents"][0], vectors, strict=True)
        for metadata, distance, document, vector in rows:
            candidates.append(_candidate(metadata, 1.0 - float(distance), document, vector))
        return candidates

    def has(self, workspace_id: int, entry_id: str) -> bool:
        return bool(self.collection.get(ids=[chroma_id(workspace_id, entry_id)], include=[])["ids"])

    # ------------------------------------------------------------------------------- per-workspace state

    def built_at(self, workspace_id: int) -> str | None:
        """When this workspace was last fully built, or None when it never was (or the store was reset)."""
        value = (self.collection.metadata or {}).get(f"built_w{workspace_id}")
        return str(value) if value else None

    def set_built(self, workspace_id: int, when: dt.datetime | None) -> None:
        metadata = {
            key: value for key, value in (self.collection.metadata or {}).items() if not key.startswith("hnsw:")
        }
        metadata[f"built_w{workspace_id}"] = when.isoformat() if when else ""
        with self._write_lock:
            self.collection.modify(metadata=metadata)


def _candidate(metadata: Mapping[str, Any], similarity: float, document: str | None, vector: Any) -> Candidate:
    return Candidate(
        entry_id=str(metadata["entry_id"]),
        client_id=int(metadata["client_id"]),
        kind=str(metadata["kind"]),
        source_type=str(metadata["source_type"]),
        source_id=int(metadata["source_id"]),
        occurred_at=dt.datetime.fromisoformat(str(metadata["occurred_at"])),
        similarity=similarity,
        document=document or "",
        vector=None if vector is None else float32(vector),
        metadata=metadata,
    )


# ------------------------------------------------------------------------------------------------ opening


def open_index(config: RetrievalConfig, embedder: Embedder | None = None) -> TimelineIndex:
    """The index for `config`, opened once per process; raises IndexUnavailableError when it cannot be."""
    embedder = embedder or get_embedder(config)
    key = (config.location, embedder.key)
    with _OPEN_LOCK:
        index = _OPEN.get(key)
        if index is None:
            index = _open(config, embedder)
            _OPEN[key] = index
        return index


def forget_index(config: RetrievalConfig | None = None) -> None:
    """Drop cached handles (all, or those of one location) so the next open starts from the files again."""
    with _OPEN_LOCK:
        for key in [key for key in _OPEN if config is None or key[0] == config.location]:
            del _OPEN[key]
    _clear_chroma_cache()


def _open(config: RetrievalConfig, embedder: Embedder) -> TimelineIndex:
    if config.chroma_url:
        try:
            return _collection_index(_server_client(config.chroma_url), embedder, config.location)
        except Exception as problem:
            raise IndexUnavailableError(
                f"the Chroma server at {config.chroma_url} is unavailable: {problem}"
            ) from problem
    try:
        return _collection_index(_embedded_client(config.chroma_path), embedder, config.location)
    except Exception as problem:  # unreadable or corrupt files: keep them for inspection, start afresh
        aside = _move_aside(config.chroma_path)
        logger.warning("timeline index at %s could not be opened (%s); moved to %s", config.chroma_path, problem, aside)
    try:
        return _collection_index(_embedded_client(config.chroma_path), embedder, config.location)
    except Exception as problem:
        raise IndexUnavailableError(
            f"the timeline index at {config.chroma_path} cannot be opened: {problem}"
        ) from problem


def _collection_index(client: Any, embedder: Embedder, location: str) -> TimelineIndex:
    collection = client.get_or_create_collection(
        name=f"{COLLECTION_PREFIX}-{embedder.key}",
        embedding_function=chroma_embedding_function(embedder),
        configuration={"hnsw": {"space": "cosine"}},
    )
    collection.count()  # touches the files: a corrupt store fails here, not in the middle of a search
    return TimelineIndex(collection, embedder, location)


def _chroma_settings() -> Any:
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False)


def _embedded_client(path: Path) -> Any:
    import chromadb

    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=_chroma_settings())


def _server_client(url: str) -> Any:
    import chromadb

    address = server_address(url)
    return chromadb.HttpClient(host=address.host, port=address.port, ssl=address.ssl, settings=_chroma_settings())


def _move_aside(path: Path) -> Path | None:
    _clear_chroma_cache()
    if not path.exists():
        return None
    aside = path.with_name(f"{path.name}.corrupt-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S%f}")
    shutil.move(str(path), str(aside))
    return aside


def _clear_chroma_cache() -> None:
    try:
        from chromadb.api.shared_system_client import SharedSystemClient
    except ImportError:  # pragma: no cover - older chromadb layout
        return
    SharedSystemClient.clear_system_cache()
