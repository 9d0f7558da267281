"""The one error shape every API failure has, documented on every route so clients can rely on it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorDetail(BaseModel):
    field: str
    message: str


class ErrorBody(BaseModel):
    code: str  # unauthenticated | forbidden | not_found | conflict | invalid | method_not_allowed | error
    message: str  # one readable line
    details: list[ErrorDetail] | None = None  # per-field problems of a malformed request


class ErrorResponse(BaseModel):
    error: ErrorBody


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorResponse, "description": description}


# Passed as `responses=` to every API router.
ERRORS: dict[int | str, dict[str, Any]] = {
    400: _error("The request cannot be served as asked"),
    401: _error("No valid bearer token"),
    403: _error("Outside the caller's portfolio or role"),
    404: _error("No such resource (or not in the caller's tenant)"),
    409: _error("Conflicts with existing data"),
    422: _error("Malformed request or a broken rule; nothing was changed"),
}
