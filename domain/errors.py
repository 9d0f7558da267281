"""Domain errors: each carries a message fit to show a user as one line."""

from __future__ import annotations


class DomainError(Exception):
    """Base for errors a user can act on; the message is the whole explanation."""


class NotFoundError(DomainError):
    """The thing asked for does not exist (or the actor may not know it exists)."""


class AccessDeniedError(DomainError):
    """The actor may not see or change this."""


class ValidationError(DomainError):
    """The input is malformed or breaks a rule; nothing was changed."""


class ConflictError(DomainError):
    """The change collides with existing data (a duplicate, a stale state)."""
