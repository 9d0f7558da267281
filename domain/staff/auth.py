"""Staff sign-in: personal API tokens (bearer) and passwords, both stored only as hashes."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.audit import record_audit
from domain.errors import AccessDeniedError, NotFoundError, ValidationError
from domain.staff.models import ApiToken, User

TOKEN_PREFIX = "csa_"
MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()


def hash_token(token: str) -> str:
    """Tokens are 256 random bits, so a fast hash is enough (unlike passwords)."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(
    session: Session, user: User, *, name: str, expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token for `user`; the plain token is returned once and never stored."""
    if not name.strip():
        raise ValidationError("a token needs a name, e.g. 'laptop' or 'crm-sync'")
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        workspace_id=user.workspace_id,
        user_id=user.id,
        name=name.strip()[:100],
        token_hash=hash_token(plain),
        prefix=plain[:10],
        expires_at=expires_at,
    )
    session.add(row)
    session.flush()
    record_audit(
        session,
        workspace_id=user.workspace_id,
        actor_user_id=user.id,
        action="create",
        entity_type="api_token",
        entity_id=str(row.id),
        after={"name": row.name, "prefix": row.prefix},
    )
    return row, plain


def actor_for_token(session: Session, token: str, *, now: dt.datetime) -> Actor:
    """The active staff user a bearer token belongs to; any failure is the same AccessDeniedError."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if row is None or row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
        raise AccessDeniedError("invalid or expired token")
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise AccessDeniedError("invalid or expired token")
    row.last_used_at = now
    return Actor.from_user(user)


def revoke_token(session: Session, actor: Actor, token_id: int, *, now: dt.datetime) -> ApiToken:
    row = session.get(ApiToken, token_id)
    if row is None or row.workspace_id != actor.workspace_id:
        raise NotFoundError(f"no token {token_id}")
    if row.user_id != actor.user_id and actor.role.value != "ADMIN":
        raise AccessDeniedError("only the token's owner or an admin may revoke it")
    if row.revoked_at is None:
        row.revoked_at = now
        record_audit(
            session,
            workspace_id=row.workspace_id,
            actor_user_id=actor.user_id,
            action="revoke",
            entity_type="api_token",
            entity_id=str(row.id),
            after={"revoked_at": now.isoformat()},
        )
    return row


def set_password(session: Session, user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    user.password_hash = _hasher.hash(password)
    session.flush()


def actor_for_password(session: Session, email: str, password: str) -> Actor:
    """Check an email and password; the error never says which of the two was wrong."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.is_active or user.password_hash is None:
        raise AccessDeniedError("wrong email or password")
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise AccessDeniedError("wrong email or password") from None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return Actor.from_user(user)
