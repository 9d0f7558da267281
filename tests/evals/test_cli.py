"""`csagent eval` as a typer command (registered in channels/cli/app.py as `app.command("eval")(eval_command)`)."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from channels.cli.eval import eval_command


def app() -> typer.Typer:
    cli = typer.Typer()
    cli.command("eval")(eval_command)
    return cli


def test_help_lists_the_options() -> None:
    result = CliRunner().invoke(app(), ["--help"])
    assert result.exit_code == 0
    for option in ("--model", "--suite", "--k", "--json", "--gate", "--workers"):
        assert option in result.output


def test_an_unknown_suite_is_a_clear_error_before_anything_runs() -> None:
    result = CliRunner().invoke(app(), ["--suite", "no-such-suite"])
    assert result.exit_code == 2
    assert "unknown suite" in result.output


def test_k_must_be_positive() -> None:
    result = CliRunner().invoke(app(), ["--k", "0"])
    assert result.exit_code != 0
