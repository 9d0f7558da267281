"""The CLI contracts: scoped `clients list --json`, `users list --json`, `ask --json`, one-line errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from domain.clients.models import Client
from domain.db import make_engine, make_session_factory
from domain.staff.models import User


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "cli.db"
    shutil.copyfile(demo_template, copy)
    return copy


def csagent(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        "CSAGENT_DATABASE_URL": f"sqlite:///{db}",
        "CSAGENT_SEMANTIC_SEARCH": "0",  # these test the CLI contract; tests/retrieval covers the index
        "PATH": "/usr/bin:/bin",
        "HOME": str(db.parent),
    }
    return subprocess.run(
        [sys.executable, "-m", "channels.cli", *args], capture_output=True, text=True, env=env, timeout=120
    )


def _expected(db: Path, email: str | None) -> set[str]:
    session = make_session_factory(make_engine(f"sqlite:///{db}"))()
    query = select(Client.name)
    if email:
        query = query.join(User, User.id == Client.csm_user_id).where(User.email == email)
    return set(session.scalars(query))


def test_clients_list_as_a_csm_returns_only_their_clients(demo_db: Path) -> None:
    result = csagent(demo_db, "clients", "list", "--as", "jane@demo.csagent.dev", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {row["name"] for row in rows} == _expected(demo_db, "jane@demo.csagent.dev")
    assert {row["csm_email"] for row in rows} == {"jane@demo.csagent.dev"}
    assert {"id", "name", "health_score", "health_status", "health_trend", "csm_email"} <= set(rows[0])


def test_clients_list_as_the_vp_returns_the_whole_tenant(demo_db: Path) -> None:
    result = csagent(demo_db, "clients", "list", "--as", "vp@demo.csagent.dev", "--json")
    assert result.returncode == 0, result.stderr
    assert {row["name"] for row in json.loads(result.stdout)} == _expected(demo_db, None)


def test_users_list_json(demo_db: Path) -> None:
    result = csagent(demo_db, "users", "list", "--json")
    users = json.loads(result.stdout)
    assert {"email": "vp@demo.csagent.dev", "name": "Victoria Park", "role": "VP_CLIENT_SUCCESS"}.items() <= next(
        user for user in users if user["email"] == "vp@demo.csagent.dev"
    ).items()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("clients", "list", "--as", "nobody@example.com"), "no active staff user"),
        (("clients", "list", "--as", "jane@demo.csagent.dev", "--colour", "red"), "No such option"),
        (("clients", "list", "--as", "jane@demo.csagent.dev", "--status", "SAD"), "Invalid value"),
        (("scores", "show", "zorblax", "--as", "jane@demo.csagent.dev"), "no client called 'zorblax'"),
        (("scores", "show", "Gamma LLC", "--as", "jane@demo.csagent.dev"), "not in your portfolio"),
    ],
)
def test_errors_are_one_line_and_non_zero(demo_db: Path, args: tuple[str, ...], message: str) -> None:
    result = csagent(demo_db, *args)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert message in lines[0]
    assert "Traceback" not in result.stderr


def test_ask_json_follows_the_contract(demo_db: Path) -> None:
    result = csagent(demo_db, "ask", "why is acme dropping?", "--as", "jane@demo.csagent.dev", "--json")
    assert result.returncode == 0, result.stderr
    reply = json.loads(result.stdout)
    assert {"thread_id", "model", "as_of", "answer", "tool_calls", "pending_confirmation"} <= set(reply)
    assert reply["model"] == "offline"
    call = reply["tool_calls"][0]
    assert (call["name"], call["status"]) == ("explain_score_drivers", "ok")
    assert call["args"]["client"] == "Acme Corp"
    assert reply["pending_confirmation"] is None


def test_ask_write_waits_for_confirmation_then_yes_in_the_same_thread(demo_db: Path) -> None:
    first = json.loads(
        csagent(
            demo_db, "ask", "log a call with acme today", "--as", "jane@demo.csagent.dev", "--thread", "cli-1", "--json"
        ).stdout
    )
    assert first["pending_confirmation"]["tool"] == "log_activity"
    assert first["tool_calls"][0]["status"] == "pending_confirmation"
    second = json.loads(
        csagent(demo_db, "ask", "yes", "--as", "jane@demo.csagent.dev", "--thread", "cli-1", "--json").stdout
    )
    assert second["tool_calls"][0]["status"] == "ok"
    assert second["pending_confirmation"] is None
