"""`csagent users token create/list/revoke` and `users set-password`: the credentials the API and web use."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from channels.cli.app import app
from channels.web.app import create_app
from domain.db import make_engine, make_session_factory
from domain.errors import AccessDeniedError
from domain.settings import Settings
from domain.staff.auth import actor_for_password

EMAIL = "priya@demo.csagent.dev"


@pytest.fixture
def cli(demo_template: Path, tmp_path: Path) -> tuple[CliRunner, dict[str, str], str]:
    copy = tmp_path / "cli.db"
    shutil.copyfile(demo_template, copy)
    url = f"sqlite:///{copy}"
    return CliRunner(), {"CSAGENT_DATABASE_URL": url, "HOME": str(tmp_path)}, url


def test_token_create_list_use_revoke(cli: tuple[CliRunner, dict[str, str], str]) -> None:
    runner, env, url = cli
    created = runner.invoke(app, ["users", "token", "create", "--as", EMAIL, "--name", "laptop", "--json"], env=env)
    assert created.exit_code == 0, created.output
    issued = json.loads(created.stdout)
    assert issued["token"].startswith("csa_")
    assert issued["email"] == EMAIL
    listed = json.loads(runner.invoke(app, ["users", "token", "list", "--as", EMAIL, "--json"], env=env).stdout)
    assert [(row["id"], row["name"], row["revoked_at"]) for row in listed] == [(issued["id"], "laptop", None)]
    assert issued["token"] not in json.dumps(listed)
    engine = make_engine(url)
    with TestClient(create_app(Settings(database_url=url), engine=engine)) as api:
        headers = {"Authorization": f"Bearer {issued['token']}"}
        assert api.get("/api/v1/client-success/clients", headers=headers).status_code == 200
        revoked = runner.invoke(app, ["users", "token", "revoke", str(issued["id"]), "--as", EMAIL], env=env)
        assert revoked.exit_code == 0, revoked.output
        assert api.get("/api/v1/client-success/clients", headers=headers).status_code == 401
    engine.dispose()


def test_set_password_from_stdin(cli: tuple[CliRunner, dict[str, str], str]) -> None:
    runner, env, url = cli
    result = runner.invoke(app, ["users", "set-password", EMAIL], input="correct horse battery\n", env=env)
    assert result.exit_code == 0, result.output
    short = runner.invoke(app, ["users", "set-password", EMAIL], input="short\n", env=env)
    assert short.exit_code != 0
    assert "at least" in str(short.exception)
    session = make_session_factory(make_engine(url))()
    assert actor_for_password(session, EMAIL, "correct horse battery").email == EMAIL
    with pytest.raises(AccessDeniedError):
        actor_for_password(session, EMAIL, "short")
    session.close()
