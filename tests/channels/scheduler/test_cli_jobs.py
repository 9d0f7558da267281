"""`csagent briefing`, `csagent jobs list` and `csagent jobs run` as scripts use them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine

from tests.channels.email.servers import SmtpServer

NOW = "2026-11-22T15:00:00+00:00"


def csagent(db: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {"CSAGENT_DATABASE_URL": f"sqlite:///{db}", "CSAGENT_SEMANTIC_SEARCH": "0", "PATH": "/usr/bin:/bin",
                   "HOME": str(db.parent), **env}  # fmt: skip
    command = [sys.executable, "-m", "channels.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, env=environment, timeout=180)


def test_briefing_json_for_one_user(demo_path: Path, demo_engine: Engine) -> None:
    done = csagent(demo_path, "briefing", "--as", "jane@demo.csagent.dev", "--json", "--now", NOW)
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["user_email"] == "jane@demo.csagent.dev"
    assert payload["stale"] is False
    assert {"Acme Corp", "Beta Industries", "Delta Inc"} <= {item["client_name"] for item in payload["items"]}
    assert payload["text"]["markdown"].startswith("**Good morning Jane")


def test_briefing_send_is_once_per_day(demo_path: Path, demo_engine: Engine, smtp: SmtpServer) -> None:
    args = ("briefing", "--as", "priya@demo.csagent.dev", "--send", "--json", "--now", NOW)
    first = csagent(demo_path, *args, CSAGENT_SMTP_URL=smtp.url)
    second = csagent(demo_path, *args, CSAGENT_SMTP_URL=smtp.url)
    assert [row["status"] for row in json.loads(first.stdout)] == ["sent"], first.stderr
    assert [row["status"] for row in json.loads(second.stdout)] == ["already_sent"]
    assert len(smtp.to("priya@demo.csagent.dev")) == 1


def test_briefing_needs_exactly_one_target(demo_path: Path) -> None:
    done = csagent(demo_path, "briefing")
    assert done.returncode == 1
    assert done.stderr.strip() == "error: give either --as EMAIL or --all"


def test_jobs_list_and_run(demo_path: Path, demo_engine: Engine) -> None:
    listed = json.loads(csagent(demo_path, "jobs", "list", "--json").stdout)
    assert [job["name"] for job in listed] == [
        "recompute", "briefings", "weekly_insights", "weekly_emails", "interventions", "index_upkeep",
    ]  # fmt: skip
    ran = csagent(demo_path, "jobs", "run", "interventions", "--json")
    assert ran.returncode == 0, ran.stderr
    assert "interventions recommended" in json.loads(ran.stdout)["summary"]
    after = {job["name"]: job for job in json.loads(csagent(demo_path, "jobs", "list", "--json").stdout)}
    assert after["interventions"]["last_status"] == "ok"
    unknown = csagent(demo_path, "jobs", "run", "nope")
    assert unknown.returncode == 1
    assert "no job called 'nope'" in unknown.stderr
