"""`csagent index verify | sync | rebuild` (the typer app in channels/cli/index.py)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from channels.cli.index import app
from tests.retrieval.conftest import Env


def test_verify_sync_and_rebuild(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSAGENT_DATABASE_URL", env.settings.database_url)
    monkeypatch.setenv("CSAGENT_CHROMA_PATH", str(env.config.chroma_path))
    runner = CliRunner()
    ws = str(env.world.workspace_id)

    drift = runner.invoke(app, ["verify", "--workspace", ws, "--json"])
    assert drift.exit_code == 1, drift.output
    report = json.loads(drift.output)[0]
    assert report["in_sync"] is False
    assert report["missing_count"] == report["database_entries"] > 0

    synced = runner.invoke(app, ["sync", "--workspace", ws])
    assert synced.exit_code == 0, synced.output
    assert "synced" in synced.output

    clean = runner.invoke(app, ["verify", "--workspace", ws])
    assert clean.exit_code == 0, clean.output
    assert "in step with the database" in clean.output

    rebuilt = runner.invoke(app, ["rebuild", "--workspace", ws, "--json"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert json.loads(rebuilt.output)[0]["added"] == report["database_entries"]


def test_an_unknown_workspace_is_refused(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSAGENT_DATABASE_URL", env.settings.database_url)
    monkeypatch.setenv("CSAGENT_CHROMA_PATH", str(env.config.chroma_path))
    result = CliRunner().invoke(app, ["verify", "--workspace", "999"])
    assert result.exit_code != 0
