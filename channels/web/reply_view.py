"""A Reply as the browser gets it: the contract JSON, the answer as safe HTML, and a health chart for client answers."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Any

from markdown_it import MarkdownIt
from sqlalchemy.orm import Session

from agent.attachments import focus_client_ids
from agent.reply import Attachment, Reply
from domain.access import Actor
from domain.errors import DomainError
from domain.scoring.history import score_history

CHART_DAYS = 90
# Raw HTML in an answer is shown as text, never parsed: a client name like "<img onerror=…>" stays inert.
# Answers are written one statement per line (they read well in a terminal too), so a newline is a line break.
_markdown = MarkdownIt("commonmark", {"html": False, "breaks": True}).enable("table").enable("strikethrough")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")


def answer_html(markdown: str) -> str:
    return str(_markdown.render(_end_lists(markdown)))


def _end_lists(markdown: str) -> str:
    """Close a list before a plain line that follows it; CommonMark would fold that line into the last item."""
    lines = markdown.split("\n")
    kept = lines[:1]
    for previous, line in itertools.pairwise(lines):
        if _LIST_ITEM.match(previous) and line.strip() and not line[:1].isspace() and not _LIST_ITEM.match(line):
            kept.append("")
        kept.append(line)
    return "\n".join(kept)


def health_chart(session: Session, actor: Actor, client_id: int, as_of: dt.date) -> Attachment | None:
    """The client's last 90 days of health with the period's events; None when there is nothing to draw."""
    try:
        history = score_history(db_session=session, actor=actor, client_id=client_id, as_of=as_of, days=CHART_DAYS)
    except DomainError:  # not visible to this actor, or gone: the answer stands without a chart
        return None
    if not history.points:
        return None
    return Attachment(
        kind="chart",
        title=f"{history.client_name}: health, last {CHART_DAYS} days",
        data={
            "client_id": history.client_id,
            "client_name": history.client_name,
            "start": history.start.isoformat(),
            "end": history.end.isoformat(),
            "points": [
                {"day": point.day.isoformat(), "score": point.score, "status": point.status.value}
                for point in history.points
            ],
            "events": [event.model_dump(mode="json") for event in history.events],
        },
    )


def reply_payload(reply: Reply, session: Session, actor: Actor) -> dict[str, Any]:
    """The `csagent ask --json` object plus answer_html, and a chart when the turn was about one client."""
    body = reply.contract()
    body["answer_html"] = answer_html(reply.answer)
    focus = focus_client_ids(reply.tool_calls)
    chart = health_chart(session, actor, focus[0], reply.as_of) if focus else None
    if chart is not None:
        body["attachments"].append(chart.model_dump(mode="json"))
        body["focus_client"] = {"id": chart.data["client_id"], "name": chart.data["client_name"]}
    return body
