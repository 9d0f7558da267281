"""Seed 000 end to end through `csagent ask` as the demo consultant: target, baseline, interventions, four
weekly outcomes, a risk raised and resolved, feedback, then a proof post whose every number is in the data."""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from channels.cli.app import app
from domain.clients.models import Client
from domain.db import make_engine, make_session_factory
from domain.success.models import BaselineSnapshot, ClientFeedback, Intervention, OutcomeEntry, ResultTarget, Risk

CONSULTANT = "consultant@demo.csagent.dev"
STEPS = [
    "set a result target for riverside: reduce claim processing time from 40 to 10 hours/week by march 31",
    "record baseline for riverside: 40 hours/week on oct 19",
    "log an intervention for riverside: automated insurance eligibility checks on oct 27",
    "log an intervention for riverside: new intake workflow for the front desk on nov 3",
    "riverside was at 36 hours/week the week of oct 26",
    "riverside was at 31 hours/week the week of nov 2",
    "riverside was at 27.5 hours/week the week of nov 9",
    "riverside was at 24 hours/week the week of nov 16",
    "add a risk for riverside: front desk staff turnover",
    "resolve the front desk risk: hired two new coordinators",
    'riverside said "claims are finally off my desk by friday"',
]


@pytest.fixture
def cli_db(demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "flow.db"
    shutil.copyfile(demo_template, copy)
    monkeypatch.setenv("CSAGENT_DATABASE_URL", f"sqlite:///{copy}")
    monkeypatch.setenv("CSAGENT_SEMANTIC_SEARCH", "0")  # this flow never searches; keep the user's index untouched
    monkeypatch.setenv("CSAGENT_CHROMA_PATH", str(tmp_path / "chroma"))
    return copy


def ask(runner: CliRunner, text: str) -> dict:
    result = runner.invoke(
        app, ["ask", text, "--as", CONSULTANT, "--thread", "flow", "--yes", "--json"], standalone_mode=False
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def numbers_in(text: str) -> set[Decimal]:
    return {Decimal(value).normalize() for value in re.findall(r"\d+(?:\.\d+)?", text.replace(",", ""))}


def test_consultant_runs_the_whole_flow_and_the_proof_is_measured(cli_db: Path) -> None:
    runner = CliRunner()
    for step in STEPS:
        reply = ask(runner, step)
        statuses = [call["status"] for call in reply["tool_calls"]]
        assert statuses == ["ok"], (step, reply["answer"], reply["tool_calls"])
    proof = ask(runner, "generate proof for riverside")["tool_calls"][0]["result"]["proof"]

    session = make_session_factory(make_engine(f"sqlite:///{cli_db}"))()
    client = session.scalars(select(Client).where(Client.name == "Riverside Dental Group")).one()
    target = session.scalars(
        select(ResultTarget).where(ResultTarget.client_id == client.id, ResultTarget.is_active.is_(True))
    ).one()
    assert (target.current_value, target.target_value, target.unit) == (Decimal(40), Decimal(10), "hours/week")
    baseline = session.scalars(select(BaselineSnapshot).where(BaselineSnapshot.client_id == client.id)).one()
    entries = session.scalars(
        select(OutcomeEntry).where(OutcomeEntry.client_id == client.id).order_by(OutcomeEntry.week_start)
    ).all()
    assert [entry.value.normalize() for entry in entries] == [Decimal(36), Decimal(31), Decimal("27.5"), Decimal(24)]
    assert len(session.scalars(select(Intervention).where(Intervention.client_id == client.id)).all()) == 2
    risk = session.scalars(select(Risk).where(Risk.client_id == client.id)).one()
    assert risk.resolution == "hired two new coordinators"
    assert session.scalars(select(ClientFeedback).where(ClientFeedback.client_id == client.id)).one()

    base = Decimal(str(baseline.metrics[target.metric]["value"]))
    latest = entries[-1].value
    change = base - latest
    allowed = {
        base.normalize(),
        latest.normalize(),
        change.normalize(),
        target.target_value.normalize(),
        (change / base * 100).quantize(Decimal("0.1")).normalize(),
        Decimal(round((base - latest) / (base - target.target_value) * 100)).normalize(),
        Decimal(len(entries)),
    }
    dates = {
        day
        for row in (baseline.captured_on, target.target_date, *(e.week_start for e in entries))
        for day in (Decimal(row.day), Decimal(row.year))
    }
    dates |= {
        Decimal(i.occurred_on.day)
        for i in session.scalars(select(Intervention).where(Intervention.client_id == client.id))
    }
    text = " ".join([proof["title"], proof["body"], *proof["case_study_bullets"], proof["proposal_snippet"]])
    unexplained = numbers_in(text) - allowed - dates
    assert not unexplained, f"numbers not in the data: {unexplained}\n{text}"
    assert Decimal(40) in numbers_in(text)
    assert Decimal(24) in numbers_in(text)
