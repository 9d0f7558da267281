"""Subjects and notes for demo activities, phrased the way CSMs write them."""

from __future__ import annotations

import random
from typing import Any

from domain.demo.plan import ClientPlan
from domain.enums import ActivityOutcome, ActivityType, ContactRole

SUBJECTS = {
    ActivityType.CALL: ("Check-in call with {champion}", "Call: adoption review with {champion}"),
    ActivityType.EMAIL: ("Shared {module} best-practice guide", "Follow-up email to {champion}"),
    ActivityType.MEETING: ("Working session on {module}", "Roadmap walkthrough with {champion}"),
    ActivityType.QBR: ("Quarterly business review", "QBR: results and next-quarter goals"),
    ActivityType.TRAINING: ("Training: {module} for new users", "Admin training: {module} configuration"),
    ActivityType.ONBOARDING: ("Onboarding kickoff", "Onboarding: data import and go-live plan"),
    ActivityType.SUPPORT_ESCALATION: ("Escalation: {module} performance issue", "Escalated ticket review"),
    ActivityType.EXECUTIVE_TOUCHPOINT: ("Executive check-in with {sponsor}", "VP outreach to {sponsor}"),
    ActivityType.INTERNAL_DISCUSSION: ("Account review: {client}", "Renewal strategy for {client}"),
    ActivityType.OTHER: ("Sent conference invitation", "Customer advisory board invite"),
}
OUTCOME_NOTES = {
    ActivityOutcome.SUCCESSFUL_ENGAGEMENT: "Good conversation; the team is getting value from {module}.",
    ActivityOutcome.ISSUE_IDENTIFIED: "Raised friction with {module}; logging it with support.",
    ActivityOutcome.EXPANSION_OPPORTUNITY: "Interest in more seats and modules; looping in the AE.",
    ActivityOutcome.RISK_IDENTIFIED: "Budget review under way; renewal may be questioned.",
    ActivityOutcome.FOLLOW_UP_REQUIRED: "Promised a written recap and a follow-up session.",
    ActivityOutcome.NO_ACTION_NEEDED: "Informational; nothing to do.",
}


def describe(plan: ClientPlan, kind: ActivityType, outcome: ActivityOutcome, rng: random.Random) -> dict[str, Any]:
    """Subject, description and outcome notes for one activity."""
    names = {
        "champion": plan.contacts[plan.contact_with_role(ContactRole.CHAMPION)].name,
        "sponsor": plan.contacts[plan.contact_with_role(ContactRole.EXECUTIVE_SPONSOR)].name,
        "module": rng.choice(plan.modules),
        "client": plan.name,
    }
    subject = rng.choice(SUBJECTS[kind]).format(**names)
    return {
        "subject": subject,
        "description": f"{subject}. Logged by the account team for {plan.name}.",
        "outcome_notes": OUTCOME_NOTES[outcome].format(**names),
    }
