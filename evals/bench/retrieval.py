"""Timeline index benchmark: build throughput for N synthetic entries, warm search latency, peak memory.

    run_retrieval_benchmark() -> {"entries": 100000, "build_entries_per_s": ..., "search_ms_p50": ..., ...}

Runs in a child process (`python -m evals.bench.retrieval --json`) so the peak RSS is the benchmark's own.
Entries are synthetic but realistic timeline text (activities, notes, tickets, alerts) over many clients,
almost all distinct, so the embedder's duplicate-text shortcut does not flatter the build rate. Search
latency is one warm query end to end in the index: the query embedding, the Chroma query with the same
tenant / portfolio / privacy filter real searches use, and the hybrid re-rank (the database re-check of
the few returned hits is not included: there is no database behind synthetic entries).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from domain.timeline.schemas import TimelineEntry, TimelineKind

CSMS = 20
PRIVATE_SHARE = 0.05
BATCH = 1_000

_PEOPLE = [
    "Sarah Chen",
    "Ian Butler",
    "Mary Hernandez",
    "John Wilson",
    "Priya Shah",
    "Luis Ortega",
    "Emma Novak",
    "Tom Becker",
    "Aisha Khan",
    "Mark Dubois",
    "Lena Fischer",
    "Omar Haddad",
    "Grace Kim",
    "Paul Martin",
]
_TOPICS = [
    "the renewal quote",
    "SSO with Okta",
    "the reporting dashboard",
    "case management rollout",
    "the data export",
    "seat pricing",
    "the chatbot answers",
    "a sandbox environment",
    "API rate limits",
    "the attestation campaign",
    "their budget for next year",
    "training for new hires",
    "the EU data residency",
    "the audit trail",
    "bulk user import",
    "workflow approvals",
    "the mobile app",
    "invoice disputes",
    "a second business unit",
    "the executive sponsor change",
    "the migration plan",
    "weekly usage reports",
]
_OUTCOMES = [
    "they want a follow-up next week",
    "agreed to a pilot with ten users",
    "raised concerns about cost",
    "asked for a written summary",
    "escalated to product",
    "happy with progress so far",
    "blocked until their IT team responds",
    "renewal looks likely",
    "competitor pitched them last month",
    "need a decision from procurement",
    "adoption dropped after the reorg",
    "champion is leaving in December",
]
_KINDS = [
    TimelineKind.ACTIVITY,
    TimelineKind.NOTE,
    TimelineKind.TICKET_OPENED,
    TimelineKind.ALERT_RAISED,
    TimelineKind.SURVEY,
    TimelineKind.INTERACTION,
]
QUERIES = [
    "did anyone mention budget cuts",
    "who is unhappy with pricing",
    "problems signing in with single sign-on",
    "is the champion about to leave",
    "requests for a test environment",
    "complaints about slow exports",
    "what did we agree about the pilot",
    "which accounts talked to competitors",
    "why did usage drop",
    "any escalations to the product team",
    "EU hosting requirements",
    "training requests for new staff",
    "procurement holding up the deal",
    "invoice disagreements",
    "plans to expand to another division",
    "API throttling during nightly sync",
    "positive feedback about progress",
    "missing follow-up summary",
    "executive sponsor replaced",
    "mobile application issues",
]


def synthetic_entries(count: int, *, clients: int, workspace_id: int = 1, seed: int = 11) -> Iterator[TimelineEntry]:
    """`count` deterministic timeline entries spread over `clients` clients and 20 CSMs."""
    rng = random.Random(seed)
    start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    for number in range(count):
        client = rng.randrange(clients) + 1
        kind = rng.choice(_KINDS)
        person, topic, outcome = rng.choice(_PEOPLE), rng.choice(_TOPICS), rng.choice(_OUTCOMES)
        minutes = rng.randrange(10, 120)
        private = kind is TimelineKind.NOTE and rng.random() < PRIVATE_SHARE * 4
        author = (client % CSMS) + 1
        yield TimelineEntry(
            entry_id=kind.entry_id(number + 1),
            kind=kind,
            occurred_at=start + dt.timedelta(minutes=number * 7 + rng.randrange(7)),
            title=f"{kind.value.replace('_', ' ').capitalize()}: {topic} with {person}",
            body=f"Discussed {topic} with {person} for {minutes} minutes; {outcome}.\n"
            f"Next step agreed on day {rng.randrange(1, 400)} of the plan.",
            author_user_id=author,
            author_name=f"CSM {author}",
            is_private=private,
            source_type=kind.group,
            source_id=number + 1,
            client_id=client,
            client_name=f"Client {client:05d}",
            workspace_id=workspace_id,
            csm_user_id=author,
        )


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _build(index: Any, entries: int, clients: int) -> tuple[set[str], float]:
    """Embed and store `entries` synthetic entries; returns the distinct texts and the embed-and-write time."""
    from agent.retrieval.documents import indexed_entry

    texts: set[str] = set()
    embed_seconds = 0.0
    batch: list[Any] = []
    for position, entry in enumerate(synthetic_entries(entries, clients=clients), start=1):
        if position % 10_000 == 0:  # the build takes minutes on a CPU: show it is moving
            print(f"retrieval bench: {position:,}/{entries:,} entries embedded", file=sys.stderr, flush=True)
        item = indexed_entry(entry)
        texts.add(item.text)
        batch.append(item)
        if len(batch) == BATCH:
            began = time.perf_counter()
            index.upsert(batch)
            embed_seconds += time.perf_counter() - began
            batch = []
    if batch:
        began = time.perf_counter()
        index.upsert(batch)
        embed_seconds += time.perf_counter() - began
    return texts, embed_seconds


def measure(*, entries: int, queries: int, clients: int, workdir: Path) -> dict[str, Any]:
    """Build an index of `entries` synthetic entries in `workdir`, then time `queries` warm searches."""
    from agent.retrieval.config import RetrievalConfig
    from agent.retrieval.index import open_index
    from domain.access import Actor
    from domain.enums import Role
    from domain.timeline.rules import parse_types, ranking_words

    config = RetrievalConfig(chroma_path=workdir / "chroma")
    loaded = time.perf_counter()
    index = open_index(config)
    index.embedder.embed_query("warm up")  # model load is a one-off per process, reported apart
    load_seconds = time.perf_counter() - loaded
    reused = index.collection.count() >= entries  # a kept --workdir: measure the searches again only
    built = time.perf_counter()
    texts, embed_seconds = (set(), 0.0) if reused else _build(index, entries, clients)
    build_seconds = time.perf_counter() - built
    rss_after_build = _peak_rss_mb()

    from agent.retrieval.search import OVERFETCH, RERANK_POOL, SearchScope, diversify, scoped_query

    rng = random.Random(5)
    latencies: list[float] = []
    cpu: list[float] = []  # process CPU per search: what a busy machine's wall clock hides
    by_scope: dict[str, list[float]] = {"one client": [], "portfolio": [], "tenant": []}
    embed_only: list[float] = []
    for number in range(queries):
        question = QUERIES[number % len(QUERIES)]
        csm = rng.randrange(CSMS) + 1
        mode = number % 3
        actor = Actor(csm, 1, Role.VP_CLIENT_SUCCESS if mode == 2 else Role.CSM, f"csm{csm}@bench", f"CSM {csm}")
        scope = (
            [rng.randrange(clients) + 1]
            if mode == 0
            else [client for client in range(1, clients + 1) if client % CSMS + 1 == csm]
            if mode == 1
            else None
        )
        began, cpu_began = time.perf_counter(), time.process_time()
        vector = index.embedder.embed_query(question)
        embedded = time.perf_counter()
        search_scope = SearchScope(actor, scope, parse_types(None), None, None)
        share = 1.0 if scope is None else len(scope) / clients
        pool, _complete = scoped_query(index, vector, search_scope, share, RERANK_POOL, needed=5 * OVERFETCH)
        words = ranking_words(question)
        diversify(pool, words)
        latencies.append(time.perf_counter() - began)
        cpu.append(time.process_time() - cpu_began)
        by_scope[("one client", "portfolio", "tenant")[mode]].append(time.perf_counter() - began)
        embed_only.append(embedded - began)
    size = sum(path.stat().st_size for path in (workdir / "chroma").rglob("*") if path.is_file())
    return {
        "entries": entries,
        "clients": clients,
        "distinct_texts": len(texts),
        "model_load_s": round(load_seconds, 1),
        "build_s": round(build_seconds, 1),
        "build_entries_per_s": None if reused else round(entries / build_seconds, 1),
        "queries": queries,
        "search_ms_p50": round(statistics.median(latencies) * 1000, 1),
        "search_ms_p95": round(_percentile(latencies, 0.95) * 1000, 1),
        "search_ms_max": round(max(latencies) * 1000, 1),
        "search_cpu_ms_p50": round(statistics.median(cpu) * 1000, 1),
        "search_cpu_ms_p95": round(_percentile(cpu, 0.95) * 1000, 1),
        "search_ms_p95_by_scope": {
            name: round(_percentile(values, 0.95) * 1000, 1) for name, values in by_scope.items() if values
        },
        "query_embedding_ms_p50": round(statistics.median(embed_only) * 1000, 1),
        "peak_rss_mb": _peak_rss_mb(),
        "rss_after_build_mb": rss_after_build,
        "index_mb_on_disk": round(size / 2**20, 1),
        "embed_and_write_s": round(embed_seconds, 1),
    }


def run_retrieval_benchmark(
    *, entries: int = 100_000, queries: int = 200, clients: int = 1_000, workdir: Path | None = None
) -> dict[str, Any]:
    """Measure in a child process (its own peak RSS) and return the figures."""
    with tempfile.TemporaryDirectory(prefix="csagent-retrieval-bench-", dir=workdir) as folder:
        command = [
            sys.executable,
            "-m",
            "evals.bench.retrieval",
            "--entries",
            str(entries),
            "--queries",
            str(queries),
            "--clients",
            str(clients),
            "--workdir",
            folder,
            "--json",
        ]
        done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)  # progress on stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--clients", type=int, default=1_000)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.workdir is None:
        with tempfile.TemporaryDirectory(prefix="csagent-retrieval-bench-") as folder:
            result = measure(entries=args.entries, queries=args.queries, clients=args.clients, workdir=Path(folder))
    else:
        result = measure(entries=args.entries, queries=args.queries, clients=args.clients, workdir=args.workdir)
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
