"""`csagent serve`: the web chat, dashboard and REST API on one uvicorn server."""

from __future__ import annotations

import socket

import typer
from rich.table import Table
from sqlalchemy import Engine, select

from channels.cli.context import load_settings, open_engine
from channels.cli.output import console
from domain.db import make_session_factory, session_scope
from domain.errors import ValidationError
from domain.staff.models import User, Workspace


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on (loopback by default)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port."),
    demo: bool = typer.Option(False, "--demo", help="Offer one-click sign-in as any demo-tenant user."),
) -> None:
    """Serve the web chat (/), the dashboard (/dashboard) and the REST API (/docs) until Ctrl-C."""
    import uvicorn

    from channels.web.app import create_app

    settings = load_settings().model_copy(update={"demo_sign_in": demo})
    _require_free_port(host, port)
    engine = open_engine(settings)
    try:
        url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
        _print_welcome(engine, url, demo=demo, model=settings.model)
        uvicorn.run(create_app(settings, engine), host=host, port=port, log_level="warning")
    finally:
        engine.dispose()


def _require_free_port(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError as problem:
            raise ValidationError(f"cannot listen on {host}:{port} ({problem.strerror}); try --port") from None


def _print_welcome(engine: Engine, url: str, *, demo: bool, model: str) -> None:
    from domain.demo import DEMO_WORKSPACE_SLUG  # the demo package loads faker: only when serving

    console.print(f"csagent is serving at [bold]{url}[/]  (dashboard {url}/dashboard, API docs {url}/docs)")
    if model == "offline":
        console.print("model: offline planner (running without an LLM; set CSAGENT_MODEL=openai:<model> for one)")
    if not demo:
        console.print("sign in with your email and password, or paste a personal API token")
        return
    with session_scope(make_session_factory(engine)) as session:
        users = session.execute(
            select(User.email, User.name, User.role)
            .join(Workspace, Workspace.id == User.workspace_id)
            .where(Workspace.slug == DEMO_WORKSPACE_SLUG, User.is_active.is_(True))
            .order_by(User.id)
        ).all()
    if not users:
        console.print("no demo tenant in this database yet: run `csagent demo` first")
        return
    table = Table("Email", "Name", "Role", title=f"Demo sign-in: open {url} and click one of these")
    for email, name, role in users:
        table.add_row(email, name, role.value)
    console.print(table)
    console.print("Ctrl-C stops the server.")
