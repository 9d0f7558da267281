"""Intent -> tool and argument builder. Intents that are not tools (greeting, out of scope) answer directly."""

from __future__ import annotations

from agent.offline import fillers as read
from agent.offline import fillers_writes as write
from agent.offline.fillers import Builder

BUILDERS: dict[str, Builder] = {
    "list_at_risk_clients": read.at_risk_args,
    "explain_score_drivers": read.with_client(read.drivers_args),
    "get_client_overview": read.with_client(read.overview_args),
    "search_timeline": read.timeline_args,
    "portfolio_summary": read.portfolio_args,
    "list_renewals": read.renewals_args,
    "list_alerts": read.alerts_args,
    "update_alert": read.update_alert_args,
    "list_follow_ups": read.follow_ups_args,
    "churn_risk": read.churn_args,
    "benchmark_client": read.with_client(read.benchmark_args),
    "simulate_weights": read.simulate_args,
    "engagement_status": read.with_client(read.engagement_args),
    "activity_summary": read.activity_summary_args,
    "generate_proof": read.with_client(read.proof_args),
    "log_activity": write.log_activity_args,
    "draft_outreach": write.outreach_args,
    "add_note": write.add_note_args,
    "set_result_target": write.result_target_args,
    "record_baseline": write.baseline_args,
    "add_outcome_entry": write.outcome_args,
    "log_intervention": write.intervention_args,
    "add_risk": write.risk_args,
    "resolve_risk": write.resolve_risk_args,
    "log_feedback": write.feedback_args,
}

HELP = (
    "I can help with your clients: who is at risk and why, a client's overview, health drivers, churn risk, "
    "benchmarks, renewals, alerts and follow-ups; logging calls and notes; drafting outreach; and for "
    "engagements: result targets, baselines, interventions, weekly outcomes, risks, feedback and proof posts."
)
OUT_OF_SCOPE = "That's outside what I can help with. " + HELP
NOT_SURE = "I'm not sure what you need. " + HELP
