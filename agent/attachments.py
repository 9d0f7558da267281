"""Structured extras for channels that can show more than text: tables from list results, drafts to copy.

Built from the turn's tool results only, so a table never holds anything the answer's tools did not return."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from agent.reply import Attachment, ToolCallRecord

Row = dict[str, Any]


def attachments_for(calls: Sequence[ToolCallRecord]) -> list[Attachment]:
    """Tables and drafts for the successful calls of one turn, in call order."""
    built: list[Attachment] = []
    for call in calls:
        maker = _MAKERS.get(call.name)
        if call.status == "ok" and call.result and maker is not None:
            built += maker(call.result)
    return built


def focus_client_ids(calls: Sequence[ToolCallRecord]) -> list[int]:
    """Clients a turn was about one at a time (an overview, drivers, churn…), in order, without repeats."""
    found: list[int] = []
    for call in calls:
        clients = (call.result or {}).get("source_ids", {}).get("client", []) if call.status == "ok" else []
        if len(clients) == 1 and call.name not in _LIST_TOOLS and clients[0] not in found:
            found.append(int(clients[0]))
    return found


def _table(title: str, columns: list[tuple[str, str]], rows: list[Row], link: str | None = "client_id") -> Attachment:
    """columns: (key, label); `link` names the row key holding the client id a channel may link to."""
    return Attachment(
        kind="table",
        title=title,
        data={
            "columns": [{"key": key, "label": label} for key, label in columns],
            "rows": [
                {key: row.get(key) for key, _ in columns} | ({"_link": row.get(link)} if link else {}) for row in rows
            ],
        },
    )


def _at_risk(result: Row) -> list[Attachment]:
    listing = result.get("at_risk", {})
    rows = [
        {**row, "change": _change(row.get("health_score"), row.get("health_score_then")),
         "churn": _percent(row.get("churn_probability"))}
        for row in listing.get("clients", [])
    ]  # fmt: skip
    columns = [("name", "Client"), ("health_score", "Health"), ("health_status", "Status"), ("change", "Change"),
               ("annual_recurring_revenue", "ARR"), ("days_to_renewal", "Renews in (days)"), ("churn", "Churn risk"),
               ("csm_name", "CSM")]  # fmt: skip
    return [_table(f"At-risk clients ({listing.get('days', 30)}-day change)", columns, rows)] if rows else []


def _renewals(result: Row) -> list[Attachment]:
    listing = result.get("renewals", {})
    rows = listing.get("renewals", [])
    columns = [("name", "Client"), ("next_renewal_date", "Renews"), ("days_to_renewal", "In (days)"),
               ("health_score", "Health"), ("health_status", "Status"), ("annual_recurring_revenue", "ARR"),
               ("churn_risk_score", "Churn risk %")]  # fmt: skip
    return [_table(f"Renewals in the next {listing.get('within_days', 90)} days", columns, rows)] if rows else []


def _alerts(result: Row) -> list[Attachment]:
    rows = result.get("alerts", [])
    columns = [("id", "#"), ("client_name", "Client"), ("severity", "Severity"), ("status", "Status"),
               ("title", "Alert"), ("recommended_action", "Suggested")]  # fmt: skip
    return [_table("Alerts", columns, rows)] if rows else []


def _portfolio(result: Row) -> list[Attachment]:
    tiers = result.get("portfolio", {}).get("by_tier", [])
    columns = [("label", "Tier"), ("clients", "Clients"), ("average_health", "Avg health"), ("at_risk", "At risk"),
               ("arr", "ARR"), ("arr_at_risk", "ARR at risk")]  # fmt: skip
    return [_table("Portfolio by tier", columns, tiers, link=None)] if tiers else []


def _outreach(result: Row) -> list[Attachment]:
    text = f"Subject: {result.get('subject', '')}\n\n{result.get('body', '')}"
    return [Attachment(kind="draft", title=f"Email to {result.get('to_name') or 'the client'}", data={"text": text})]


def _proof(result: Row) -> list[Attachment]:
    proof = result.get("proof", {})
    text = f"{proof.get('title', '')}\n\n{proof.get('body', '')}".strip()
    return [Attachment(kind="draft", title="Proof post", data={"text": text})] if text else []


def _change(now: float | None, then: float | None) -> str | None:
    return None if now is None or then is None else f"{now - then:+.1f}"


def _percent(probability: float | None) -> str | None:
    return None if probability is None else f"{probability:.0%}"


_MAKERS: dict[str, Callable[[Row], list[Attachment]]] = {
    "list_at_risk_clients": _at_risk,
    "list_renewals": _renewals,
    "list_alerts": _alerts,
    "portfolio_summary": _portfolio,
    "draft_outreach": _outreach,
    "generate_proof": _proof,
}
_LIST_TOOLS = frozenset({"list_at_risk_clients", "list_renewals", "list_alerts", "portfolio_summary"})
