"""POST /email/inbound: the webhook an inbound-mail service (or a local MTA pipe) calls for each received email.

Authenticated by a shared secret (header `X-CSAgent-Secret` or query `?secret=`), compared in constant time;
without CSAGENT_EMAIL_INBOUND_SECRET the route refuses everything. The body is the raw message
(`message/rfc822` or `text/plain`) or a webhook's JSON.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from channels.email.conversation import handle_inbound_email
from channels.email.parse import InboundEmail, parse_raw, parse_webhook_json
from channels.web.deps import StateDep
from channels.web.errors import error_body
from domain.errors import ValidationError

MAX_BYTES = 2_000_000

router = APIRouter(tags=["email"])


@router.post("/email/inbound", summary="Receive an email for csagent (webhook)")
async def inbound_email(
    request: Request,
    state: StateDep,
    secret_header: Annotated[str | None, Header(alias="X-CSAgent-Secret")] = None,
    secret: Annotated[str | None, Query(description="The shared secret, if the sender cannot set a header")] = None,
) -> JSONResponse:
    expected = state.settings.email_inbound_secret
    if not expected:
        return JSONResponse(error_body("unavailable", "inbound email is not configured"), status_code=503)
    given = secret_header or secret or ""
    if not hmac.compare_digest(given.encode(), expected.encode()):
        return JSONResponse(error_body("unauthenticated", "bad or missing inbound email secret"), status_code=401)
    body = await request.body()
    if len(body) > MAX_BYTES:
        return JSONResponse(error_body("too_large", f"emails up to {MAX_BYTES:,} bytes"), status_code=413)
    email = _parse(body, request.headers.get("content-type", ""))
    now = dt.datetime.now(dt.UTC)
    agent = await run_in_threadpool(state.agent)
    result = await run_in_threadpool(handle_inbound_email, state.settings, state.sessions, agent, email, now)
    if result.status == "rejected":
        return JSONResponse(error_body("forbidden", "the sender is not a csagent user"), status_code=403)
    return JSONResponse(
        {"status": result.status, "thread_id": result.thread_id, "reply_message_id": result.reply_message_id}
    )


def _parse(body: bytes, content_type: str) -> InboundEmail:
    """A raw message or webhook JSON; anything malformed is a 422 with the reason."""
    if "json" in content_type:
        try:
            payload: Any = json.loads(body or b"{}")
        except ValueError:
            raise ValidationError("the request body is not valid JSON") from None
        if not isinstance(payload, dict):
            raise ValidationError("the JSON body must be an object")
        return parse_webhook_json(payload)
    return parse_raw(body)
