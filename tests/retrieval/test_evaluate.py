"""evaluate_retrieval scores recall@k of a labelled set (here a tiny one over the test world)."""

from __future__ import annotations

from pathlib import Path

from evals.retrieval_recall import evaluate_retrieval
from tests.retrieval.conftest import Env


def test_recall_is_scored_per_question(env: Env, tmp_path: Path) -> None:
    rows = env.world.rows
    dataset = tmp_path / "labelled.yaml"
    dataset.write_text(
        f"""
k: 2
defaults:
  as: jane@home.test
questions:
  - id: money
    question: Is Acme short of money?
    client: Acme Corp
    expected: [note:{rows["acme_freeze"]}]
  - id: leaving
    question: Is someone at Acme looking for another job?
    client: Acme Corp
    expected: [note:{rows["acme_private"]}]
  - id: not-for-vera
    question: Is someone at Acme looking for another job?
    as: vera@home.test
    expected: [note:{rows["acme_private"]}]
"""
    )
    result = evaluate_retrieval(env.settings, dataset=dataset)
    assert result["metric"] == "recall@2"
    assert result["questions"] == 3
    assert result["recall"] == round(2 / 3, 4)  # the VP never sees Jane's private note
    assert [miss["id"] for miss in result["misses"]] == ["not-for-vera"]
