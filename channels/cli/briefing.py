"""`csagent briefing`: preview or send the daily briefing, for one user or everyone."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import typer
from rich.markdown import Markdown
from rich.table import Table
from sqlalchemy import select

from channels.cli.context import actor_from_email, load_settings, open_engine
from channels.cli.output import console, print_json
from domain.access import Actor
from domain.db import make_session_factory, session_scope
from domain.errors import ValidationError
from domain.staff.models import User

if TYPE_CHECKING:
    from channels.scheduler.briefings import DeliveryOutcome


def _now(value: str | None) -> dt.datetime:
    if value is None:
        return dt.datetime.now(dt.UTC)
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"--now must be an ISO time like 2026-11-23T13:00:00+00:00, not {value!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def briefing(
    as_email: str | None = typer.Option(None, "--as", help="The staff user to brief."),
    everyone: bool = typer.Option(False, "--all", help="Every active staff user."),
    send: bool = typer.Option(False, "--send", help="Send over each user's channels (once per local day)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
    now: str | None = typer.Option(None, "--now", help="Brief as of this time (default: now)."),
) -> None:
    """Show (or with --send, deliver) what changed and what to do first."""
    # The briefing stack (templates, the agent's messages, delivery) loads only when this command runs.
    from agent.briefing import build_briefing, render_briefing
    from channels.scheduler.briefings import send_briefing

    if everyone == (as_email is not None):
        raise ValidationError("give either --as EMAIL or --all")
    moment = _now(now)
    settings = load_settings()
    engine = open_engine(settings)
    sessions = make_session_factory(engine)
    try:
        with session_scope(sessions) as session:
            if everyone:
                users = session.scalars(select(User).where(User.is_active.is_(True)).order_by(User.email)).all()
                actors = [Actor.from_user(user) for user in users]
            else:
                actors = [actor_from_email(session, str(as_email))]
        if send:
            outcomes = [o for a in actors for o in send_briefing(settings, sessions, user_id=a.user_id, now=moment)]
            _print_outcomes(outcomes, as_json)
            return
        results = []
        for actor in actors:
            with session_scope(sessions) as session:
                built = build_briefing(db_session=session, actor=actor, now=moment)
            results.append((built, render_briefing(built, settings)))
    finally:
        engine.dispose()
    if as_json:
        payload = [{**built.model_dump(mode="json"), "text": text.model_dump()} for built, text in results]
        print_json(payload if everyone else payload[0])
        return
    for built, text in results:
        console.rule(f"{built.user_name} <{built.user_email}>")
        console.print(Markdown(text.markdown))
        for note in text.notes:
            console.print(f"[yellow]note:[/] {note}")


def _print_outcomes(outcomes: list[DeliveryOutcome], as_json: bool) -> None:
    if as_json:
        print_json([{"email": o.email, "channel": o.channel, "status": o.status, "detail": o.detail} for o in outcomes])
        return
    table = Table("Email", "Channel", "Status", "Detail", title=f"{len(outcomes)} deliveries")
    for outcome in outcomes:
        table.add_row(outcome.email, outcome.channel, outcome.status, outcome.detail)
    console.print(table)
