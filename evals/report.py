"""The eval report: a JSON file and a Markdown scorecard (model, prompt hashes, commit, date, scores, failures),
a rich summary table, and the CI gate against evals/thresholds.yaml."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml  # type: ignore[import-untyped, unused-ignore]  # no types-PyYAML in the dev deps
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from evals.cases import CATEGORIES

if TYPE_CHECKING:
    from evals.run import CaseResult, SuiteResult

ROOT = Path(__file__).resolve().parent.parent
PROMPTS = ROOT / "prompts"
THRESHOLDS = Path(__file__).with_name("thresholds.yaml")
REPORTS = Path(__file__).with_name("reports")
console = Console(stderr=False)


# ------------------------------------------------------------------------------------------- provenance


def prompt_hashes(folder: Path = PROMPTS) -> dict[str, str]:
    """sha256 of every file under prompts/ (caches excluded), by path relative to the repository."""
    return {
        str(path.relative_to(folder.parent)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def git_commit(root: Path = ROOT) -> str:
    """HEAD's commit, with "-dirty" when the working tree has changes; "unknown" outside a git checkout."""
    head = _git(root, "rev-parse", "HEAD")
    if head is None:
        return "unknown"
    return head + ("-dirty" if _git(root, "status", "--porcelain", "--untracked-files=no") else "")


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def load_thresholds(path: Path = THRESHOLDS) -> dict[str, Any]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    categories = raw.get("categories") or {}
    if unknown := sorted(set(categories) - set(CATEGORIES)):
        raise ValueError(f"{path.name}: unknown categories {unknown}")
    return {"overall": float(raw.get("overall", 0.0)), "categories": {k: float(v) for k, v in categories.items()}}


# ------------------------------------------------------------------------------------------------ scores


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (p50, p95) of the values; 0 when there are none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.4999)))
    return ordered[rank - 1]


def build_report(
    suite: SuiteResult,
    *,
    suite_name: str = "all",
    thresholds: dict[str, Any] | None = None,
    labelled_retrieval: dict[str, Any] | None = None,
) -> dict[str, Any]:
    results = suite.results
    categories: dict[str, dict[str, Any]] = {}
    for category in CATEGORIES:
        chosen = [result for result in results if result.case.category == category]
        if chosen:
            categories[category] = _score(chosen)
    latencies = [turn.latency_ms for result in results for run in result.runs for turn in run.turns]
    recalls = [run.recall for result in results for run in result.runs if run.recall is not None]
    searched = [run.recall for result in results for run in result.runs if run.recall is not None and run.searched]
    tool_turns = sum(run.tool_turns for result in results for run in result.runs)
    grounded = sum(run.grounded_turns for result in results for run in result.runs)
    overall = _score(results)
    data: dict[str, Any] = {
        "model": suite.model,
        "suite": suite_name,
        "k": suite.k,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "prompt_hashes": prompt_hashes(),
        "runtime_seconds": round(suite.seconds, 1),
        "template_seconds": round(suite.template_seconds, 1),
        "cases": len(results),
        "overall": overall,
        "categories": categories,
        "latency_ms": {
            "turns": len(latencies),
            "p50": round(percentile(latencies, 0.5), 1),
            "p95": round(percentile(latencies, 0.95), 1),
            "max": round(max(latencies, default=0.0), 1),
        },
        "retrieval": {
            "recall_at_5": _mean(recalls),  # end to end: a question that never reaches the search scores 0
            "runs": len(recalls),
            "recall_at_5_when_searched": _mean(searched),  # the search itself, on runs that called it
            "searched_runs": len(searched),
        },
        "groundedness": {
            "grounded_turns": grounded,
            "turns_with_tool_results": tool_turns,
            "rate": round(grounded / tool_turns, 3) if tool_turns else None,
        },
        "labelled_retrieval": labelled_retrieval,
        "failures": [_failure(result) for result in results if not result.passed],
        "results": [_case_json(result) for result in results],
    }
    data["gate"] = gate(data, thresholds if thresholds is not None else load_thresholds())
    return data


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


def _score(results: list[CaseResult]) -> dict[str, Any]:
    passed = sum(result.passed for result in results)
    runs = [run.passed for result in results for run in result.runs]
    return {
        "passed": passed,
        "total": len(results),
        "score": round(passed / len(results), 4) if results else 0.0,  # pass^k over the cases
        "pass_at_1": round(sum(runs) / len(runs), 4) if runs else 0.0,  # mean over single runs
    }


def _failure(result: CaseResult) -> dict[str, Any]:
    failed_run = next(run for run in result.runs if not run.passed)
    return {
        "id": result.case.id,
        "category": result.case.category,
        "source": result.case.source,
        "turns": [turn.text for turn in failed_run.turns] or result.case.texts,
        "reasons": [
            (f"turn {check.turn}: " if check.turn else "") + f"{check.name}: {check.reason}"
            for check in failed_run.failures
        ],
        "runs_passed": f"{sum(run.passed for run in result.runs)}/{len(result.runs)}",
    }


def _case_json(result: CaseResult) -> dict[str, Any]:
    return {
        "id": result.case.id,
        "category": result.case.category,
        "passed": result.passed,
        "runs": [
            {
                "passed": run.passed,
                "checks": [check.to_json() for check in run.checks],
                "recall": run.recall,
                "turns": [
                    {
                        "text": turn.text,
                        "answer": turn.answer,
                        "latency_ms": round(turn.latency_ms, 1),
                        "error": turn.error,
                        "pending_confirmation": turn.pending,
                        "tool_calls": [
                            {key: call.get(key) for key in ("name", "args", "status", "error") if call.get(key)}
                            for call in turn.calls
                        ],
                    }
                    for turn in run.turns
                ],
            }
            for run in result.runs
        ],
    }


def gate(data: dict[str, Any], thresholds: dict[str, Any]) -> dict[str, Any]:
    """Which thresholds the scores miss; the gate passes when none."""
    failures = []
    if data["overall"]["score"] < thresholds["overall"]:
        failures.append(f"overall {data['overall']['score']:.3f} < {thresholds['overall']:.3f}")
    for category, minimum in thresholds["categories"].items():
        score = data["categories"].get(category, {}).get("score")
        if score is not None and score < minimum:
            failures.append(f"{category} {score:.3f} < {minimum:.3f}")
    labelled, floor = data.get("labelled_retrieval"), thresholds.get("labelled_retrieval_recall")
    if labelled is not None and floor is not None and labelled["recall"] < floor:
        failures.append(f"labelled retrieval {labelled['metric']} {labelled['recall']:.3f} < {floor:.3f}")
    return {"passed": not failures, "failures": failures, "thresholds": thresholds}


# ----------------------------------------------------------------------------------------------- output


def _labelled_line(labelled: dict[str, Any] | None) -> str:
    if labelled is None:
        return "- labelled retrieval set: not run (it runs with --suite all or retrieval)"
    return (
        f"- labelled retrieval set: {labelled['metric']} {labelled['recall']:.3f} over {labelled['questions']} "
        f"questions (target {labelled['target']}), {labelled['embedding_model']}"
    )


def write_report(data: dict[str, Any], folder: Path | None = None) -> list[Path]:
    """The JSON report and the Markdown scorecard, timestamped, plus latest.json / latest.md."""
    folder = folder or REPORTS
    folder.mkdir(parents=True, exist_ok=True)
    stamp = data["date"].replace(":", "").replace("+0000", "Z")
    model = data["model"].replace(":", "_").replace("/", "_")
    text = json.dumps(data, indent=1, default=str)
    markdown = scorecard(data)
    paths = [folder / f"{stamp}-{model}.json", folder / f"{stamp}-{model}.md"]
    paths[0].write_text(text, encoding="utf-8")
    paths[1].write_text(markdown, encoding="utf-8")
    (folder / "latest.json").write_text(text, encoding="utf-8")
    (folder / "latest.md").write_text(markdown, encoding="utf-8")
    return paths


def scorecard(data: dict[str, Any]) -> str:
    gate_line = "passed" if data["gate"]["passed"] else "FAILED: " + "; ".join(data["gate"]["failures"])
    lines = [
        f"# csagent eval scorecard: {data['model']}",
        "",
        f"- date: {data['date']}",
        f"- git commit: `{data['git_commit']}`",
        f"- suite: {data['suite']}, {data['cases']} cases, k={data['k']} (a case passes when all k runs pass)",
        f"- runtime: {data['runtime_seconds']} s (demo generation {data['template_seconds']} s)",
        f"- overall: **{data['overall']['score']:.1%}** ({data['overall']['passed']}/{data['overall']['total']})",
        f"- gate: {gate_line}",
        f"- latency per turn: p50 {data['latency_ms']['p50']} ms, p95 {data['latency_ms']['p95']} ms "
        f"({data['latency_ms']['turns']} turns)",
        f"- timeline retrieval recall@5: {_maybe(data['retrieval']['recall_at_5'])} end to end "
        f"({data['retrieval']['runs']} runs); {_maybe(data['retrieval']['recall_at_5_when_searched'])} when "
        f"search_timeline was called ({data['retrieval']['searched_runs']} runs)",
        _labelled_line(data.get("labelled_retrieval")),
        f"- groundedness: {_maybe(data['groundedness']['rate'])} of answers with tool results state only numbers "
        f"found in them ({data['groundedness']['grounded_turns']}/{data['groundedness']['turns_with_tool_results']})",
        "",
        "## Scores by category",
        "",
        "| category | passed | total | score | pass@1 | threshold |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    minimums = data["gate"]["thresholds"]["categories"]
    for category, score in data["categories"].items():
        minimum = minimums.get(category)
        lines.append(
            f"| {category} | {score['passed']} | {score['total']} | {score['score']:.1%} | {score['pass_at_1']:.1%} "
            f"| {'' if minimum is None else f'{minimum:.0%}'} |"
        )
    overall = data["overall"]
    lines.append(
        f"| **overall** | {overall['passed']} | {overall['total']} | {overall['score']:.1%} "
        f"| {overall['pass_at_1']:.1%} | {data['gate']['thresholds']['overall']:.0%} |"
    )
    lines += ["", "## Failures", ""]
    if not data["failures"]:
        lines.append("None.")
    for failure in data["failures"]:
        lines.append(f"### `{failure['id']}` ({failure['category']}, {failure['source']})")
        lines.append("")
        lines.extend(f"> {text}" for text in failure["turns"])
        lines.append("")
        lines.extend(f"- {reason}" for reason in failure["reasons"])
        lines.append("")
    lines += ["## Prompt files", "", "| file | sha256 |", "|---|---|"]
    lines.extend(f"| {path} | `{digest[:16]}` |" for path, digest in data["prompt_hashes"].items())
    return "\n".join(lines) + "\n"


def _maybe(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def print_json(data: dict[str, Any]) -> None:
    print(json.dumps({key: value for key, value in data.items() if key != "results"}, indent=1, default=str))


def print_summary(data: dict[str, Any], paths: list[Path]) -> None:
    minimums = data["gate"]["thresholds"]["categories"]
    table = Table(title=f"csagent evals · {data['model']} · k={data['k']} · {data['cases']} cases")
    for column in ("category", "passed", "total", "score", "threshold"):
        table.add_column(column, justify="left" if column == "category" else "right")
    for category, score in data["categories"].items():
        minimum = minimums.get(category)
        style = "green" if minimum is None or score["score"] >= minimum else "red"
        table.add_row(
            category, str(score["passed"]), str(score["total"]), f"[{style}]{score['score']:.1%}[/]",
            "" if minimum is None else f"{minimum:.0%}",
        )  # fmt: skip
    overall, floor = data["overall"], data["gate"]["thresholds"]["overall"]
    style = "green" if overall["score"] >= floor else "red"
    table.add_row(
        "[bold]overall[/]", str(overall["passed"]), str(overall["total"]), f"[bold {style}]{overall['score']:.1%}[/]",
        f"{floor:.0%}",
    )  # fmt: skip
    console.print(table)
    latency, retrieval, grounded = data["latency_ms"], data["retrieval"], data["groundedness"]
    console.print(
        f"latency p50 {latency['p50']} ms · p95 {latency['p95']} ms · recall@5 {_maybe(retrieval['recall_at_5'])}"
        f" · grounded {_maybe(grounded['rate'])} · {data['runtime_seconds']} s"
        f" (demo {data['template_seconds']} s)"
    )
    if (labelled := data.get("labelled_retrieval")) is not None:
        style = "green" if labelled["passed"] else "red"
        console.print(
            f"labelled retrieval set: [{style}]{labelled['metric']} {labelled['recall']:.3f}[/] over"
            f" {labelled['questions']} questions (target {labelled['target']})"
            f" · search p50 {labelled['search_ms_p50']} ms"
        )
        for miss in labelled["misses"]:
            console.print(f"[yellow]miss[/] {miss['id']}: {', '.join(miss['missed'])}")
    for failure in data["failures"]:
        console.print(f"[red]FAIL[/] {failure['id']} ({failure['category']}): {failure['reasons'][0][:200]}")
    console.print(f"report: {', '.join(str(path) for path in paths)}")


@contextmanager
def progress_bar(total: int, *, enabled: bool = True) -> Iterator[Callable[[int, int], None]]:
    if not enabled:
        yield lambda done, total: None
        return
    columns = (TextColumn("evals"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("evals", total=total)
        yield lambda done, _total: progress.update(task, completed=done)
