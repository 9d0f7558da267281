"""Imports every ORM model so `Base.metadata` is complete (alembic, create_all, tests)."""

from domain.activities.models import Activity, Note
from domain.adoption.models import Feature, FeatureAdoption
from domain.alerts.models import Alert, AlertSetting
from domain.audit import AuditLog, IdempotencyKey
from domain.billing.models import Invoice
from domain.churn.models import ChurnModel, ChurnPrediction
from domain.clients.models import Client, Contact
from domain.conversations.models import ChannelEvent, Conversation
from domain.db import Base
from domain.insights.models import Insight
from domain.messaging.models import Delivery
from domain.onboarding.models import (
    InterventionRule,
    InterventionRun,
    Milestone,
    MilestoneDefinition,
    OnboardingProgress,
)
from domain.operations.models import Company, Contract, Deliverable, Payment, PortalLink, Proposal
from domain.scheduling.models import JobLease, JobRun
from domain.scoring.models import HealthSnapshot, ScoreConfig
from domain.staff.models import ApiToken, User, Workspace
from domain.success.models import (
    BaselineSnapshot,
    ClientFeedback,
    Intervention,
    OutcomeEntry,
    ProofPost,
    ResultTarget,
    Risk,
)
from domain.support.models import SupportInteraction, SupportTicket, SurveyResponse
from domain.usage.models import EngagementEvent, SeasonalityRule, UsageRollup

__all__ = [
    "Activity",
    "Alert",
    "AlertSetting",
    "ApiToken",
    "AuditLog",
    "Base",
    "BaselineSnapshot",
    "ChannelEvent",
    "ChurnModel",
    "ChurnPrediction",
    "Client",
    "ClientFeedback",
    "Company",
    "Contact",
    "Contract",
    "Conversation",
    "Deliverable",
    "Delivery",
    "EngagementEvent",
    "Feature",
    "FeatureAdoption",
    "HealthSnapshot",
    "IdempotencyKey",
    "Insight",
    "Intervention",
    "InterventionRule",
    "InterventionRun",
    "Invoice",
    "JobLease",
    "JobRun",
    "Milestone",
    "MilestoneDefinition",
    "Note",
    "OnboardingProgress",
    "OutcomeEntry",
    "Payment",
    "PortalLink",
    "ProofPost",
    "Proposal",
    "ResultTarget",
    "Risk",
    "ScoreConfig",
    "SeasonalityRule",
    "SupportInteraction",
    "SupportTicket",
    "SurveyResponse",
    "UsageRollup",
    "User",
    "Workspace",
]
