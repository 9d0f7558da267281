"""recall@k of the semantic timeline search on the labelled demo set (evals/datasets/labelled/).

    evaluate_retrieval(settings) -> {"metric": "recall@5", "recall": 0.95, "questions": 54, ...}

`settings.database_url` must hold the demo tenant (as `csagent demo` or the eval template make it) and
`settings.chroma_path` (or chroma_url) is where the index is kept: the workspace is reconciled with the
database first, so a kept index is reused and only new or changed entries are embedded.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from agent.retrieval.config import RetrievalConfig
from agent.retrieval.index import open_index
from agent.retrieval.search import semantic_search
from agent.retrieval.sync import sync_workspace
from domain.access import actor_for_email
from domain.clients.models import Client
from domain.db import make_engine, make_session_factory
from domain.errors import NotFoundError
from domain.settings import Settings

DATASET = Path(__file__).parent / "datasets" / "labelled" / "timeline_retrieval.yaml"
TARGET = 0.9


class LabelledQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: str
    question: str = Field(min_length=3)
    expected: list[str] = Field(min_length=1)
    client: str | None = None
    actor: str | None = Field(None, alias="as")
    types: list[str] | None = None
    start: dt.date | None = None
    end: dt.date | None = None


class LabelledSet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    k: int = Field(5, ge=1, le=50)
    defaults: dict[str, str] = Field(default_factory=dict)
    questions: list[LabelledQuestion] = Field(min_length=1)

    def actor_of(self, question: LabelledQuestion) -> str:
        return question.actor or self.defaults["as"]


def load_labelled_set(path: Path = DATASET) -> LabelledSet:
    labelled = LabelledSet.model_validate(yaml.safe_load(path.read_text()))
    ids = [question.id for question in labelled.questions]
    if duplicates := sorted({item for item in ids if ids.count(item) > 1}):
        raise ValueError(f"duplicate question ids in {path}: {duplicates}")
    return labelled


def evaluate_retrieval(settings: Settings, *, dataset: Path = DATASET, k: int | None = None) -> dict[str, Any]:
    """Run every labelled question through semantic_search as its asker; recall@k overall and per question."""
    labelled = load_labelled_set(dataset)
    k = k or labelled.k
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as session:
            return _evaluate(session, settings, labelled, k)
    finally:
        engine.dispose()


def _evaluate(session: Session, settings: Settings, labelled: LabelledSet, k: int) -> dict[str, Any]:
    config = RetrievalConfig.from_settings(settings)
    index = open_index(config)
    workspaces = {actor_for_email(session, labelled.actor_of(question)).workspace_id for question in labelled.questions}
    started = time.perf_counter()
    for workspace_id in sorted(workspaces):
        sync_workspace(db_session=session, index=index, workspace_id=workspace_id)
    sync_seconds = time.perf_counter() - started
    results: list[dict[str, Any]] = []
    latencies: list[float] = []
    for question in labelled.questions:
        actor = actor_for_email(session, labelled.actor_of(question))
        client_id = _client_id(session, actor.workspace_id, question.client) if question.client else None
        began = time.perf_counter()
        hits = semantic_search(
            db_session=session,
            actor=actor,
            settings=config,
            query=question.question,
            client_id=client_id,
            types=question.types,
            start=question.start,
            end=question.end,
            limit=k,
            index=index,
        )
        latencies.append(time.perf_counter() - began)
        found = [hit.entry_id for hit in hits]
        missed = [entry_id for entry_id in question.expected if entry_id not in found]
        results.append(
            {
                "id": question.id,
                "recall": (len(question.expected) - len(missed)) / len(question.expected),
                "missed": missed,
                "top": found,
            }
        )
    recall = sum(result["recall"] for result in results) / len(results)
    ordered = sorted(latencies)
    return {
        "metric": f"recall@{k}",
        "recall": round(recall, 4),
        "target": TARGET,
        "passed": recall >= TARGET,
        "questions": len(results),
        "perfect": sum(1 for result in results if result["recall"] == 1.0),
        "misses": [result for result in results if result["missed"]],
        "embedding_model": config.embedding_model,
        "index": config.location,
        "index_sync_seconds": round(sync_seconds, 2),
        "search_ms_p50": round(ordered[len(ordered) // 2] * 1000, 1),
        "search_ms_max": round(ordered[-1] * 1000, 1),
    }


def _client_id(session: Session, workspace_id: int, name: str) -> int:
    client_id = session.scalar(select(Client.id).where(Client.workspace_id == workspace_id, Client.name == name))
    if client_id is None:
        raise NotFoundError(f"the labelled set names a client the database does not hold: {name!r}")
    return client_id
