"""The model-facing tool registry: every tool csagent offers, by its stable name (ARCHITECTURE.md)."""

from __future__ import annotations

from typing import Any

from tools import activities, alerts, clients, operations, outreach, portfolio, scores, success
from tools.base import CsTool, ToolContext, ToolResult

_ALL: list[CsTool[Any, Any]] = [
    clients.get_client_overview,
    clients.search_timeline,
    outreach.draft_outreach,
    portfolio.list_at_risk_clients,
    portfolio.portfolio_summary,
    portfolio.list_renewals,
    activities.log_activity,
    activities.add_note,
    activities.list_follow_ups,
    activities.activity_summary,
    scores.explain_score_drivers,
    scores.churn_risk,
    scores.benchmark_client,
    scores.simulate_weights,
    alerts.list_alerts,
    alerts.update_alert,
    success.set_result_target,
    success.record_baseline,
    success.log_intervention,
    success.add_outcome_entry,
    success.add_risk,
    success.resolve_risk,
    success.log_feedback,
    success.generate_proof,
    operations.engagement_status,
]

TOOLS: dict[str, CsTool[Any, Any]] = {tool.name: tool for tool in _ALL}
WRITE_TOOLS = frozenset(name for name, tool in TOOLS.items() if tool.writes)

__all__ = ["TOOLS", "WRITE_TOOLS", "CsTool", "ToolContext", "ToolResult"]
