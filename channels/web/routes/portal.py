"""The client portal (seed 003): /portal/{token} is a read-only page hydrated from /portal/{token}/data.

No staff sign-in: the unguessable token is the credential, so responses are never cached and never
leak the URL through a Referer header.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Response
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, HTMLResponse

from channels.web.api_deps import AsOfDep, NowDep
from channels.web.deps import SessionDep
from channels.web.schemas.errors import ERRORS
from channels.web.schemas.operations import PortalResponse
from domain.errors import NotFoundError
from domain.operations.portal_links import portal_data_for_token, resolve_portal_token

router = APIRouter(prefix="/portal", tags=["client portal"])
WEB = Path(__file__).resolve().parent.parent
PAGE = WEB / "templates" / "portal.html"
ASSETS = {"portal.js": "text/javascript", "portal.css": "text/css"}
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}
Token = Annotated[str, PathParam(min_length=10, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")]
NOT_VALID = (
    "<!doctype html><title>Link not valid</title>"
    "<p>This portal link is not valid. Ask your consultant for a new one.</p>"
)


@router.get("/assets/{name}", include_in_schema=False)
def portal_asset(name: str) -> FileResponse:
    if name not in ASSETS:
        return FileResponse(PAGE, status_code=404)  # never serve anything but the two portal files
    return FileResponse(WEB / "static" / name, media_type=ASSETS[name])


@router.get(
    "/{token}",
    response_class=HTMLResponse,
    summary="The client portal page",
    responses={404: {"description": "Unknown or revoked link"}},
)
def portal_page(token: Token, session: SessionDep, now: NowDep) -> HTMLResponse:
    """The page; it loads its data from /portal/{token}/data."""
    try:
        resolve_portal_token(db_session=session, token=token, now=now)
    except NotFoundError:  # the same page for unknown and revoked links
        return HTMLResponse(NOT_VALID, status_code=404, headers=PRIVATE)
    return HTMLResponse(PAGE.read_text(encoding="utf-8"), headers=PRIVATE)


@router.get("/{token}/data", response_model=PortalResponse, summary="Portal data for a portal link", responses=ERRORS)
def portal_json(token: Token, session: SessionDep, now: NowDep, as_of: AsOfDep, response: Response) -> PortalResponse:
    """Seed 003's portalData of the engagement behind the link: deliverables, status, milestones, payments."""
    response.headers.update(PRIVATE)
    data = portal_data_for_token(db_session=session, token=token, now=now, as_of=as_of)
    return PortalResponse.model_validate({"portalData": data})
