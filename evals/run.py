"""Run the eval suite: every case on a fresh copy of the demo tenant, scored per case and per category.

    python -m evals.run [--suite all] [--model offline] [--k 1] [--workers N] [--json] [--gate]

The demo is generated once per process; each case run copies the SQLite file (fast) and talks to one warm
Agent on its copy. With --k N every case runs N times and passes only if all N runs pass (pass^k), which
matters for non-deterministic models. --gate exits non-zero when a score is below evals/thresholds.yaml.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from agent.offline.router import default_router
from agent.runner import open_agent
from domain.access import actor_for_email
from domain.db import make_session_factory, session_scope
from domain.settings import Settings
from evals.cases import Case, CaseFileError, load_cases, select_cases
from evals.evaluators import (
    CheckResult,
    Snapshot,
    TurnRecord,
    evaluate,
    retrieval_recall,
    take_snapshot,
    unsupported_numbers,
)
from evals.fixtures import NOW, apply_setup, build_template, build_template_index, case_database, template_index

CHANNEL = "eval"


@dataclass(slots=True)
class RunResult:
    """One run of one case."""

    passed: bool
    checks: list[CheckResult]
    turns: list[TurnRecord]
    recall: float | None = None  # retrieval cases: recall@k of the expected timeline entries
    searched: bool = False  # search_timeline was called (recall then measures the search, not the routing)
    grounded_turns: int = 0  # turns with tool results whose answer states no unsupported number
    tool_turns: int = 0
    error: str | None = None

    @property
    def failures(self) -> list[CheckResult]:
        return [check for check in self.checks if not check.passed]


@dataclass(slots=True)
class CaseResult:
    case: Case
    runs: list[RunResult] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """pass^k: the case passes only when every one of its k runs passed."""
        return bool(self.runs) and all(run.passed for run in self.runs)

    @property
    def pass_rate(self) -> float:
        return sum(run.passed for run in self.runs) / len(self.runs) if self.runs else 0.0


@dataclass(slots=True)
class SuiteResult:
    model: str
    k: int
    results: list[CaseResult]
    seconds: float
    template_seconds: float


def run_case(case: Case, template: Path, workdir: Path, *, model: str = "offline", repeat: int = 0) -> RunResult:
    """Run one case once on its own copy of the template and check it."""
    with case_database(template, workdir, f"{case.id}-{repeat}") as database:
        sessions = make_session_factory(database.engine)
        try:
            with session_scope(sessions) as session:
                apply_setup(session, case.setup)
            if case.setup and database.settings.semantic_search:  # the case's own rows join its index copy
                index_case_setup(database.settings, sessions)
            with sessions() as session:
                before = take_snapshot(session)
                actor = actor_for_email(session, case.actor)
        except Exception as problem:  # a broken setup fails the case, loudly
            return RunResult(False, [CheckResult("setup", False, f"{type(problem).__name__}: {problem}")], [])
        settings = database.settings.model_copy(update={"model": model})
        with open_agent(settings, database.engine) as agent:
            records: list[TurnRecord] = []
            checks: list[CheckResult] = []
            for index, turn in enumerate(case.turns, start=1):
                record = TurnRecord(index=index, text=turn.text)
                started = time.perf_counter()
                try:
                    reply = agent.run_turn(
                        actor,
                        turn.text,
                        f"eval-{case.id}-{repeat}",
                        CHANNEL,
                        message_id=turn.message_id or f"{case.id}:{repeat}:{index}",
                        auto_confirm=turn.yes,
                        edit=turn.edit,
                        now=NOW,
                    )
                    record.reply = reply.contract()
                except Exception as problem:  # a crash is a failed turn, with where it happened
                    record.error = f"{type(problem).__name__}: {problem} @ {_where(problem)}"
                record.latency_ms = (time.perf_counter() - started) * 1000
                records.append(record)
                if turn.checks is not None:
                    with sessions() as session:
                        checks += evaluate(
                            turn.checks, turns=[record], history=records, session=session, before=before,
                            turn_number=index,
                        )  # fmt: skip
                if record.error:
                    break
            with sessions() as session:
                checks += evaluate(case.checks, turns=records, history=records, session=session, before=before)
    return _result(case, records, checks, before)


def _result(case: Case, records: list[TurnRecord], checks: list[CheckResult], before: Snapshot) -> RunResult:
    errors = [record.error for record in records if record.error]
    if errors and not any(check.name == "turn_error" for check in checks):
        checks.append(CheckResult("turn_error", False, errors[0]))
    retrieval = case.checks.retrieval or next((t.checks.retrieval for t in case.turns if t.checks), None)
    recall = retrieval_recall(retrieval, records)[0] if retrieval is not None else None
    tool_turns = [
        record for record in records if any(call.get("status") == "ok" for call in record.calls) and record.answer
    ]
    grounded = sum(not unsupported_numbers(record, records[: record.index]) for record in tool_turns)
    return RunResult(
        passed=all(check.passed for check in checks),
        checks=checks,
        turns=records,
        recall=recall,
        searched=any(call["name"] == "search_timeline" for record in records for call in record.calls),
        grounded_turns=grounded,
        tool_turns=len(tool_turns),
        error=errors[0] if errors else None,
    )


def _where(problem: BaseException) -> str:
    frames = traceback.extract_tb(problem.__traceback__)
    return f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"


# ------------------------------------------------------------------------------------------- the suite

_WORKER: dict[str, Any] = {}


def _init_worker(template: str, workdir: str, model: str) -> None:
    _WORKER.update(template=Path(template), workdir=Path(workdir) / f"w{os.getpid()}", model=model)


def _run_task(task: tuple[int, Case, int]) -> tuple[int, int, RunResult]:
    position, case, repeat = task
    try:
        result = run_case(case, _WORKER["template"], _WORKER["workdir"], model=_WORKER["model"], repeat=repeat)
    except Exception as problem:  # one broken case must not stop the suite
        reason = f"{type(problem).__name__}: {problem} @ {_where(problem)}"
        result = RunResult(False, [CheckResult("runner", False, reason)], [], error=reason)
    return position, repeat, result


def run_suite(
    cases: Sequence[Case],
    *,
    model: str = "offline",
    k: int = 1,
    workers: int = 1,
    template: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SuiteResult:
    """Run every case k times (fresh database each time) on `workers` processes; generates the template once."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="csagent-evals-") as folder:
        workdir = Path(folder)
        template_started = time.perf_counter()
        template = template or build_template(workdir / "template.db")
        template_seconds = time.perf_counter() - template_started
        default_router()  # built once here, inherited by forked workers
        results = [CaseResult(case) for case in cases]
        tasks = [(position, case, repeat) for repeat in range(k) for position, case in enumerate(cases)]
        done = 0
        runs: dict[tuple[int, int], RunResult] = {}
        if workers > 1 and len(tasks) > 1:
            context = multiprocessing.get_context("fork")
            with context.Pool(workers, _init_worker, (str(template), str(workdir), model)) as pool:
                for position, repeat, run in pool.imap_unordered(_run_task, tasks, chunksize=2):
                    runs[(position, repeat)] = run
                    done += 1
                    if progress:
                        progress(done, len(tasks))
        else:
            _init_worker(str(template), str(workdir), model)
            for task in tasks:
                position, repeat, run = _run_task(task)
                runs[(position, repeat)] = run
                done += 1
                if progress:
                    progress(done, len(tasks))
        for (position, _repeat), run in sorted(runs.items(), key=lambda item: item[0]):
            results[position].runs.append(run)
    return SuiteResult(model, k, results, time.perf_counter() - started, template_seconds)


def index_case_setup(settings: Settings, sessions: sessionmaker[Session]) -> None:
    """Reconcile the case's index copy with its database: setup rows are dated in the past, so a full sync."""
    from agent.retrieval.config import RetrievalConfig
    from agent.retrieval.index import open_index
    from agent.retrieval.sync import sync_workspace, workspace_ids

    index = open_index(RetrievalConfig.from_settings(settings))
    with sessions() as session:
        for workspace_id in workspace_ids(session):
            sync_workspace(db_session=session, index=index, workspace_id=workspace_id)


def wants_labelled_set(suite: str) -> bool:
    """The labelled retrieval set runs with the whole suite or when retrieval is asked for by name."""
    chosen = {part.strip() for part in suite.split(",")}
    return bool(chosen & {"all", "retrieval"})


def index_in_child_process(template: Path) -> None:
    """Build the template's timeline index in a spawned process (see build_template_index)."""
    print("indexing the demo timeline for the retrieval cases ...", file=sys.stderr, flush=True)
    worker = multiprocessing.get_context("spawn").Process(target=build_template_index, args=(template,))
    worker.start()
    worker.join()
    if worker.exitcode != 0:
        raise RuntimeError(f"building the timeline index for the evals failed (exit code {worker.exitcode})")


def run_labelled_retrieval(template: Path, workdir: Path) -> dict[str, Any]:
    """recall@5 of the semantic timeline search on the labelled demo questions (evals/datasets/labelled/)."""
    from evals.retrieval_recall import evaluate_retrieval

    print("labelled retrieval set: indexing the demo timeline ...", file=sys.stderr, flush=True)
    settings = Settings(database_url=f"sqlite:///{template}", chroma_path=template_index(template), chroma_url=None)
    return evaluate_retrieval(settings)


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


# --------------------------------------------------------------------------------------------------- CLI


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m evals.run", description=__doc__.splitlines()[0])
    parser.add_argument("--suite", default="all", help="all, categories, dataset file stems or case ids (a,b,c)")
    parser.add_argument("--model", default=os.environ.get("CSAGENT_MODEL", "offline"), help="offline or openai:M")
    parser.add_argument("--k", type=int, default=1, help="runs per case; a case passes only if all pass (pass^k)")
    parser.add_argument("--workers", type=int, default=default_workers(), help="parallel processes")
    parser.add_argument("--json", action="store_true", help="print the JSON report instead of the table")
    parser.add_argument("--gate", action="store_true", help="exit 1 when below evals/thresholds.yaml")
    parser.add_argument("--report-dir", type=Path, default=None, help="where to write the report files")
    parser.add_argument("--template", type=Path, default=None, help="reuse a template database (see fixtures.py)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    if args.k < 1 or args.workers < 1:
        parser.error("--k and --workers must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    from evals import report

    args = parse_args(argv)
    try:
        cases = select_cases(load_cases(), args.suite)
    except CaseFileError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    if not cases:
        print("no cases selected", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="csagent-evals-main-") as folder:
        template = args.template or build_template(Path(folder) / "template.db")
        if not template_index(template).is_dir():
            index_in_child_process(template)
        with report.progress_bar(len(cases) * args.k, enabled=not (args.quiet or args.json)) as advance:
            suite = run_suite(
                cases, model=args.model, k=args.k, workers=args.workers, template=template, progress=advance
            )
        labelled = run_labelled_retrieval(template, Path(folder)) if wants_labelled_set(args.suite) else None
    data = report.build_report(suite, suite_name=args.suite, labelled_retrieval=labelled)
    paths = report.write_report(data, args.report_dir)
    if args.json:
        report.print_json(data)
    else:
        report.print_summary(data, paths)
    if args.gate:
        gate = data["gate"]
        if not gate["passed"]:
            print("eval gate failed: " + "; ".join(gate["failures"]), file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
