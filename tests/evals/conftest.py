"""Eval fixtures: the eval template (the session's demo plus the other tenant), built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.fixtures import template_from_demo


@pytest.fixture(scope="session")
def eval_template(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return template_from_demo(demo_template, tmp_path_factory.mktemp("evals") / "template.db")
