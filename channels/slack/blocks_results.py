"""Block Kit for the tool results people ask for most: client lists, portfolio, score drivers, drafts, proof."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from channels.slack.mrkdwn import escape, split_text, truncate

Block = dict[str, Any]
SECTION_TEXT = 3000  # Slack's limit for a section's text
FIELD_TEXT = 2000  # and for each of a section's (at most 10) fields
PREFORMATTED_TEXT = 2900  # rich text has no documented cap per element; stay well inside the message limit
STATUS_ICON = {"HEALTHY": "🟢", "MONITOR": "🟡", "AT_RISK": "🟠", "CRITICAL": "🔴"}
TREND_ICON = {"UP": "↗", "DOWN": "↘", "FLAT": "→"}


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": truncate(text, SECTION_TEXT)}}


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": truncate(text, SECTION_TEXT)}]}


def preformatted(text: str) -> list[Block]:
    """Copyable text: one rich-text code block per piece, whitespace kept exactly."""
    return [
        {
            "type": "rich_text",
            "elements": [{"type": "rich_text_preformatted", "elements": [{"type": "text", "text": piece}]}],
        }
        for piece in split_text(text, PREFORMATTED_TEXT)
    ]


def money(value: Any) -> str:
    """$120K, $1.2M, $950: how ARR reads in a list."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return "—"
    if amount >= 1_000_000:
        return f"${amount / 1_000_000:.1f}M"
    if amount >= 1_000:
        return f"${amount / 1_000:.0f}K"
    return f"${amount:.0f}"


def health(score: Any, status: Any, trend: Any) -> str:
    shown = f"{float(score):.1f}" if isinstance(score, int | float) else "no score"
    label = str(status or "").replace("_", " ").lower()
    return f"{STATUS_ICON.get(str(status), '⚪')} {shown} {label} {TREND_ICON.get(str(trend), '')}".rstrip()


def renewal(row: dict[str, Any]) -> str:
    days, date = row.get("days_to_renewal"), row.get("next_renewal_date")
    if days is None and not date:
        return "no renewal date"
    return f"renews {date}" + (f" (in {days} days)" if days is not None else "")


def client_rows(rows: list[dict[str, Any]]) -> list[Block]:
    """One section per client: name, then health with trend, ARR and renewal as fields."""
    blocks = []
    for row in rows:
        name = escape(str(row.get("name") or row.get("client_name") or f"client {row.get('client_id')}"))
        change = row.get("drop")
        moved = f" ({-float(change):+.1f})" if isinstance(change, int | float) else ""
        fields = [
            f"*Health*\n{health(row.get('health_score'), row.get('health_status'), row.get('health_trend'))}{moved}",
            f"*ARR*\n{money(row.get('annual_recurring_revenue'))}",
            f"*Renewal*\n{renewal(row)}",
        ]
        if isinstance(row.get("churn_probability"), int | float):
            fields.append(f"*Churn risk*\n{row['churn_probability']:.0%}")
        blocks.append(
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": f"*{name}*"},
                "fields": [{"type": "mrkdwn", "text": truncate(f, FIELD_TEXT)} for f in fields],
            }
        )
    return blocks


def at_risk_blocks(result: dict[str, Any]) -> list[Block]:
    rows = list(result.get("at_risk", {}).get("clients", []))
    return client_rows(rows)


def renewals_blocks(result: dict[str, Any]) -> list[Block]:
    return client_rows(list(result.get("renewals", {}).get("renewals", [])))


def portfolio_blocks(result: dict[str, Any]) -> list[Block]:
    """The portfolio at a glance: totals as fields, then one line per tier."""
    summary = result.get("portfolio", {})
    average = summary.get("average_health")
    fields = [
        f"*Clients*\n{summary.get('total_clients', 0)}",
        f"*Average health*\n{average if average is not None else '—'}",
        f"*At risk*\n{summary.get('at_risk_count', 0)}",
        f"*ARR*\n{money(summary.get('total_arr'))}",
        f"*ARR at risk*\n{money(summary.get('arr_at_risk'))} ({summary.get('arr_at_risk_share', 0)}%)",
    ]
    blocks: list[Block] = [{"type": "section", "fields": [{"type": "mrkdwn", "text": f} for f in fields]}]
    tiers = [
        f"• *{escape(str(t['label']))}*: {t['clients']} clients, avg {t.get('average_health', '—')}, "
        f"{t.get('at_risk', 0)} at risk, ARR {money(t.get('arr'))}"
        for t in summary.get("by_tier", [])
    ]
    if tiers:
        blocks.append(section("\n".join(tiers)))
    return blocks


def drivers_blocks(result: dict[str, Any]) -> list[Block]:
    """A compact breakdown: score before -> after, then each component's contribution and its evidence."""
    drivers = result.get("drivers", {})
    score = result.get("score", {})
    name = escape(str(drivers.get("client_name") or score.get("client_name") or ""))
    before, after = drivers.get("score_before"), drivers.get("score_after", score.get("overall"))
    moved = f"{before:.1f} → {after:.1f} ({drivers.get('change', 0):+.1f})" if before is not None else f"{after}"
    head = f"*{name}* {health(after, drivers.get('status_after') or score.get('status'), score.get('trend'))}"
    lines = [
        f"`{d['contribution']:+5.1f}` *{escape(str(d['component']))}*: {escape(str(d.get('evidence_after') or ''))}"
        for d in drivers.get("drivers", [])
    ]
    window = f"{drivers.get('from_day', '')} → {drivers.get('to_day', '')}"
    blocks = [section(f"{head}\n{moved} over {window}")]
    blocks += [section(piece) for piece in split_text("\n".join(lines), SECTION_TEXT)]
    churn = result.get("churn") or {}
    if churn.get("probability_90d") is not None:
        blocks.append(context(f"Churn risk {churn['probability_90d']:.0%} over 90 days ({churn.get('risk_band')})"))
    return blocks


def draft_blocks(result: dict[str, Any]) -> list[Block]:
    """An outreach draft: who it goes to, then subject and body in copyable blocks. Nothing is sent."""
    to = f"{escape(str(result.get('to_name', '')))} <mailto:{result.get('to_email', '')}|{result.get('to_email', '')}>"
    head = section(f"*Draft to* {to} at *{escape(str(result.get('client', '')))}*")
    return [head, *preformatted(f"Subject: {result.get('subject', '')}"), *preformatted(str(result.get("body", "")))]


def proof_blocks(result: dict[str, Any]) -> list[Block]:
    """A proof post ready to paste, then the case-study bullets and the proposal snippet, each copyable."""
    proof = result.get("proof", {})
    blocks = [section(f"*{escape(str(proof.get('title', 'Proof post')))}*"), *preformatted(str(proof.get("body", "")))]
    bullets = "\n".join(f"• {b}" for b in proof.get("case_study_bullets", []))
    if bullets:
        blocks += [context("Case-study bullets"), *preformatted(bullets)]
    if proof.get("proposal_snippet"):
        blocks += [context("Proposal snippet"), *preformatted(str(proof["proposal_snippet"]))]
    return blocks


RESULT_RENDERERS = {
    "list_at_risk_clients": at_risk_blocks,
    "list_renewals": renewals_blocks,
    "portfolio_summary": portfolio_blocks,
    "explain_score_drivers": drivers_blocks,
    "draft_outreach": draft_blocks,
    "generate_proof": proof_blocks,
}
