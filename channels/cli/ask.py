"""`csagent ask` (one turn, scriptable with --json) and `csagent chat` (an interactive conversation)."""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING

import typer
from rich.markdown import Markdown
from rich.panel import Panel

from channels.cli.context import load_settings, open_engine
from channels.cli.output import console
from domain.access import Actor, actor_for_email
from domain.db import make_session_factory, session_scope

if TYPE_CHECKING:  # the agent stack is heavy: imported only by the commands that talk to it
    from agent.reply import Reply
    from agent.runner import Agent


def _actor(engine: object, email: str) -> Actor:
    with session_scope(make_session_factory(engine)) as session:  # type: ignore[arg-type]
        return actor_for_email(session, email)


def ask(
    text: str = typer.Argument(..., help="What to ask, in plain words."),
    as_email: str = typer.Option(..., "--as", help="Email of the staff user asking."),
    thread: str | None = typer.Option(None, "--thread", help="Continue this conversation (thread id)."),
    yes: bool = typer.Option(False, "--yes", help="Confirm any write the answer proposes."),
    as_json: bool = typer.Option(False, "--json", help="Print the reply as one JSON object."),
) -> None:
    """Ask csagent one question; writes wait for confirmation unless --yes (or a later "yes" in the thread)."""
    from agent.runner import open_agent

    settings = load_settings()
    engine = open_engine(settings)
    try:
        actor = _actor(engine, as_email)
        with open_agent(settings, engine) as agent:
            reply = agent.run_turn(actor, text, thread or uuid.uuid4().hex[:12], "cli", auto_confirm=yes)
    finally:
        engine.dispose()
    if as_json:
        print(json.dumps(reply.contract(), default=str))
        return
    show_reply(reply)
    console.print(f"[dim]thread {reply.thread_id} · {reply.model} · as of {reply.as_of}[/]")


def show_reply(reply: Reply) -> None:
    console.print(Markdown(reply.answer or "(no answer)"))
    if reply.pending_confirmation is not None:
        console.print(
            Panel(reply.pending_confirmation.summary, title="waiting for confirmation", border_style="yellow")
        )


def chat(as_email: str = typer.Option(..., "--as", help="Email of the staff user chatting.")) -> None:
    """Chat with csagent in the terminal (history with the arrow keys; Ctrl-D or "exit" to leave)."""
    import readline  # noqa: F401  (line editing and history for input())

    from agent.runner import open_agent

    settings = load_settings()
    engine = open_engine(settings)
    thread = uuid.uuid4().hex[:12]
    try:
        actor = _actor(engine, as_email)
        console.print(f"csagent · {actor.name} ({actor.role.value}) · thread {thread} · model {settings.model}")
        with open_agent(settings, engine) as agent:
            _loop(agent, actor, thread)
    finally:
        engine.dispose()


def _loop(agent: Agent, actor: Actor, thread: str) -> None:
    while True:
        try:
            text = input("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            console.print()
            return
        if text.lower() in {"exit", "quit", ":q"}:
            return
        if not text:
            continue
        reply = agent.run_turn(actor, text, thread, "cli")
        show_reply(reply)
        if reply.pending_confirmation is not None:
            console.print("[yellow]yes[/] to confirm · [yellow]no[/] to cancel · or say what to change")
