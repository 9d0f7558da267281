"""Every error leaves the API as JSON of one stable shape: {"error": {"code", "message", "details"?}}."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from channels.web.deps import NotAuthenticatedError
from domain.errors import AccessDeniedError, ConflictError, DomainError, NotFoundError, ValidationError

_STATUS: list[tuple[type[DomainError], int, str]] = [
    (NotAuthenticatedError, 401, "unauthenticated"),
    (AccessDeniedError, 403, "forbidden"),
    (NotFoundError, 404, "not_found"),
    (ConflictError, 409, "conflict"),
    (ValidationError, 422, "invalid"),
]


def error_body(code: str, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if details:
        body["details"] = details
    return {"error": body}


def _domain_error(_request: Request, problem: Exception) -> JSONResponse:
    for kind, status, code in _STATUS:
        if isinstance(problem, kind):
            headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
            return JSONResponse(error_body(code, str(problem)), status_code=status, headers=headers)
    return JSONResponse(error_body("invalid", str(problem)), status_code=400)


def _validation_error(_request: Request, problem: Exception) -> JSONResponse:
    assert isinstance(problem, RequestValidationError)
    details = [
        {"field": ".".join(str(part) for part in error["loc"][1:]) or "body", "message": error["msg"]}
        for error in problem.errors()
    ]
    summary = "; ".join(f"{d['field']}: {d['message']}" for d in details[:3])
    return JSONResponse(error_body("invalid", f"invalid request: {summary}", details), status_code=422)


def _http_error(_request: Request, problem: Exception) -> JSONResponse:
    assert isinstance(problem, StarletteHTTPException)
    code = {401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}.get(
        problem.status_code, "error"
    )
    return JSONResponse(error_body(code, str(problem.detail)), status_code=problem.status_code)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
