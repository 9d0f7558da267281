"""`csagent eval`: run the eval suite on a fresh copy of the demo tenant per case; report and optional CI gate."""

from __future__ import annotations

from pathlib import Path

import typer


def eval_command(
    model: str | None = typer.Option(None, "--model", help="offline (default) or openai:<model>."),
    suite: str = typer.Option("all", "--suite", help="all, categories, dataset names or case ids (comma-separated)."),
    k: int = typer.Option(1, "--k", min=1, help="Runs per case; a case passes only if all k pass (pass^k)."),
    workers: int | None = typer.Option(None, "--workers", min=1, help="Parallel processes (default: CPUs, max 4)."),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON report (without per-case transcripts)."),
    gate: bool = typer.Option(False, "--gate", help="Exit 1 when a score is below evals/thresholds.yaml."),
    report_dir: Path | None = typer.Option(None, "--report-dir", help="Where to write the report (evals/reports)."),
) -> None:
    """Score the agent on the eval datasets: per case, per category, latency, retrieval recall and groundedness."""
    from evals.run import main

    argv = ["--suite", suite, "--k", str(k)]
    if model:
        argv += ["--model", model]
    if workers:
        argv += ["--workers", str(workers)]
    if as_json:
        argv.append("--json")
    if gate:
        argv.append("--gate")
    if report_dir is not None:
        argv += ["--report-dir", str(report_dir)]
    code = main(argv)
    if code:
        raise typer.Exit(code)
