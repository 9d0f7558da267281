"""`csagent users ...`: the staff who can use csagent, their API tokens and passwords."""

from __future__ import annotations

import datetime as dt
import sys

import typer
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from channels.cli.context import actor_from_email, unit_of_work
from channels.cli.output import console, print_json
from domain.errors import NotFoundError, ValidationError
from domain.staff.auth import issue_token, revoke_token, set_password
from domain.staff.models import ApiToken, User, Workspace

app = typer.Typer(help="Staff users.", no_args_is_help=True)
token_app = typer.Typer(help="Personal API tokens (Authorization: Bearer ...).", no_args_is_help=True)
app.add_typer(token_app, name="token")

AsOption = typer.Option(..., "--as", help="The staff user's email.")
JsonOption = typer.Option(False, "--json", help="Print JSON for scripts.")


@app.command("list")
def list_users(as_json: bool = JsonOption) -> None:
    """List staff users: email, name, role and workspace."""
    with unit_of_work() as session:
        rows = session.execute(
            select(User, Workspace.slug)
            .join(Workspace, Workspace.id == User.workspace_id)
            .order_by(Workspace.slug, User.role, User.email)
        ).all()
    if as_json:
        print_json([{"email": u.email, "name": u.name, "role": u.role.value, "workspace": slug} for u, slug in rows])
        return
    table = Table("Email", "Name", "Role", "Workspace", title=f"{len(rows)} staff users")
    for user, slug in rows:
        table.add_row(user.email, user.name, user.role.value, slug)
    console.print(table)


@token_app.command("create")
def create_token(
    as_email: str = AsOption,
    name: str = typer.Option(..., "--name", help="What the token is for, e.g. 'laptop' or 'crm-sync'."),
    days: int | None = typer.Option(None, "--days", min=1, max=3650, help="Expire after this many days."),
    as_json: bool = JsonOption,
) -> None:
    """Create a token; it is printed once and cannot be shown again."""
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=days) if days else None
    with unit_of_work() as session:
        user = _user(session, as_email)
        row, plain = issue_token(session, user, name=name, expires_at=expires)
        result = {"id": row.id, "name": row.name, "email": user.email, "token": plain, "expires_at": _iso(expires)}
    if as_json:
        print_json(result)
        return
    console.print(f"Token {result['id']} ({result['name']}) for {result['email']}; copy it now, it is not shown again:")
    print(plain)


@token_app.command("list")
def list_tokens(as_email: str = AsOption, as_json: bool = JsonOption) -> None:
    """List a user's tokens (prefix only, never the token)."""
    with unit_of_work() as session:
        user = _user(session, as_email)
        rows = session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)).all()
        listed = [
            {
                "id": row.id,
                "name": row.name,
                "prefix": row.prefix,
                "created_at": _iso(row.created_at),
                "last_used_at": _iso(row.last_used_at),
                "expires_at": _iso(row.expires_at),
                "revoked_at": _iso(row.revoked_at),
            }
            for row in rows
        ]
    if as_json:
        print_json(listed)
        return
    table = Table(
        "Id", "Name", "Prefix", "Created", "Last used", "Revoked", title=f"{len(listed)} tokens of {as_email}"
    )
    for item in listed:
        table.add_row(
            *(str(item[key] or "—") for key in ("id", "name", "prefix", "created_at", "last_used_at", "revoked_at"))
        )
    console.print(table)


@token_app.command("revoke")
def revoke(
    token_id: int = typer.Argument(..., help="The token's id (see `token list`)."), as_email: str = AsOption
) -> None:
    """Revoke a token (its owner or an admin); it stops working at once."""
    with unit_of_work() as session:
        actor = actor_from_email(session, as_email)
        row = revoke_token(session, actor, token_id, now=dt.datetime.now(dt.UTC))
        name = row.name
    console.print(f"Token {token_id} ({name}) revoked.")


@app.command("set-password")
def set_user_password(email: str = typer.Argument(..., help="The staff user's email.")) -> None:
    """Set the password for web sign-in: typed twice at a prompt, or one line on standard input."""
    if sys.stdin.isatty():
        password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise ValidationError("no password given")
    with unit_of_work() as session:
        set_password(session, _user(session, email), password)
    console.print(f"Password set for {email.strip().lower()}.")


def _user(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.is_active:
        raise NotFoundError(f"no active staff user with email {email.strip()!r}")
    return user


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None
