"""Enumerations shared across areas, named after the seeds' vocabularies."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CSM = "CSM"
    SENIOR_CSM = "SENIOR_CSM"
    AE = "AE"
    VP_CLIENT_SUCCESS = "VP_CLIENT_SUCCESS"
    VP_SALES = "VP_SALES"
    ADMIN = "ADMIN"
    CONSULTANT = "CONSULTANT"


class LifecycleStatus(StrEnum):
    """Seed 000's lead statuses that show the success layer, plus the account lifecycle."""

    PROSPECT = "PROSPECT"
    APPROVED = "APPROVED"
    BUILDING = "BUILDING"
    SHIPPED = "SHIPPED"
    ONBOARDING = "ONBOARDING"
    ACTIVE = "ACTIVE"
    CHURNED = "CHURNED"


class ContractTier(StrEnum):
    STARTER = "STARTER"
    PROFESSIONAL = "PROFESSIONAL"
    ENTERPRISE = "ENTERPRISE"
    CUSTOM = "CUSTOM"


class HealthStatus(StrEnum):
    HEALTHY = "HEALTHY"
    MONITOR = "MONITOR"
    AT_RISK = "AT_RISK"
    CRITICAL = "CRITICAL"


class HealthTrend(StrEnum):
    UP = "UP"
    DOWN = "DOWN"
    FLAT = "FLAT"


class ContactRole(StrEnum):
    CHAMPION = "CHAMPION"
    EXECUTIVE_SPONSOR = "EXECUTIVE_SPONSOR"
    ADMIN = "ADMIN"
    USER = "USER"
    BILLING = "BILLING"
    OTHER = "OTHER"


class EngagementStatus(StrEnum):
    ACTIVE = "ACTIVE"
    DECLINING = "DECLINING"
    INACTIVE = "INACTIVE"


class EventType(StrEnum):
    """Seed 001's engagement event types plus platform logins and feature use (seed 004)."""

    LOGIN = "login"
    PAGE_VIEW = "page_view"
    FEATURE_USE = "feature_use"
    TASK_COMPLETED = "task_completed"
    CONTENT_GENERATED = "content_generated"
    VISUAL_CREATED = "visual_created"
    VOICE_INTERACTION = "voice_interaction"
    INSIGHT_REVIEWED = "insight_reviewed"
    EXPORT_DOWNLOADED = "export_downloaded"
    SETTINGS_UPDATED = "settings_updated"
    FEEDBACK_GIVEN = "feedback_given"


class AdoptionStatus(StrEnum):
    NOT_LICENSED = "NOT_LICENSED"
    NOT_CONFIGURED = "NOT_CONFIGURED"
    NOT_USED = "NOT_USED"
    LIGHT_USE = "LIGHT_USE"
    ACTIVE_USE = "ACTIVE_USE"
    POWER_USE = "POWER_USE"


class UsageTrend(StrEnum):
    INCREASING = "INCREASING"
    DECREASING = "DECREASING"
    STABLE = "STABLE"
    NO_USE = "NO_USE"


class TicketSeverity(StrEnum):
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    URGENT = "URGENT"


class TicketStatus(StrEnum):
    OPEN = "OPEN"
    PENDING = "PENDING"
    SOLVED = "SOLVED"
    CLOSED = "CLOSED"


class SurveyKind(StrEnum):
    NPS = "NPS"
    CSAT = "CSAT"


class InvoiceStatus(StrEnum):
    OPEN = "OPEN"
    PAID = "PAID"
    OVERDUE = "OVERDUE"
    VOID = "VOID"


class ActivityType(StrEnum):
    CALL = "CALL"
    EMAIL = "EMAIL"
    MEETING = "MEETING"
    QBR = "QBR"
    TRAINING = "TRAINING"
    ONBOARDING = "ONBOARDING"
    SUPPORT_ESCALATION = "SUPPORT_ESCALATION"
    EXECUTIVE_TOUCHPOINT = "EXECUTIVE_TOUCHPOINT"
    INTERNAL_DISCUSSION = "INTERNAL_DISCUSSION"
    OTHER = "OTHER"


class ActivityOutcome(StrEnum):
    SUCCESSFUL_ENGAGEMENT = "SUCCESSFUL_ENGAGEMENT"
    ISSUE_IDENTIFIED = "ISSUE_IDENTIFIED"
    EXPANSION_OPPORTUNITY = "EXPANSION_OPPORTUNITY"
    RISK_IDENTIFIED = "RISK_IDENTIFIED"
    FOLLOW_UP_REQUIRED = "FOLLOW_UP_REQUIRED"
    NO_ACTION_NEEDED = "NO_ACTION_NEEDED"


class NoteType(StrEnum):
    GENERAL = "GENERAL"
    STRATEGY = "STRATEGY"
    RISK = "RISK"
    OPPORTUNITY = "OPPORTUNITY"
    QBR_PREP = "QBR_PREP"
    INTERNAL = "INTERNAL"


class SupportInteractionType(StrEnum):
    """Seed 002's support interactions."""

    ONBOARDING_CALL = "onboarding_call"
    CHECK_IN = "check_in"
    TECHNICAL_SUPPORT = "technical_support"


class AlertType(StrEnum):
    # seed 004
    HEALTH_DROP = "HEALTH_DROP"
    KEY_USER_INACTIVE = "KEY_USER_INACTIVE"
    SUPPORT_SPIKE = "SUPPORT_SPIKE"
    USAGE_DECLINE = "USAGE_DECLINE"
    FEATURE_ABANDONED = "FEATURE_ABANDONED"
    RENEWAL_APPROACHING = "RENEWAL_APPROACHING"
    CONTRACT_UTILIZATION_LOW = "CONTRACT_UTILIZATION_LOW"
    CHAMPION_RISK = "CHAMPION_RISK"
    NPS_DETRACTOR = "NPS_DETRACTOR"
    PAYMENT_ISSUE = "PAYMENT_ISSUE"
    # seed 001 momentum alerts
    INACTIVITY = "INACTIVITY"
    TASK_STALLED = "TASK_STALLED"
    ZERO_ACTIVITY = "ZERO_ACTIVITY"
    SCORE_DROP = "SCORE_DROP"
    # seed 003 operations
    DELIVERABLE_OVERDUE = "DELIVERABLE_OVERDUE"
    DELIVERABLE_BLOCKED = "DELIVERABLE_BLOCKED"
    PAYMENT_DUE = "PAYMENT_DUE"
    PAYMENT_OVERDUE = "PAYMENT_OVERDUE"


class AlertSeverity(StrEnum):
    CRITICAL = "CRITICAL"
    HIGH = "HIGH"
    MEDIUM = "MEDIUM"
    LOW = "LOW"
    INFO = "INFO"


class AlertStatus(StrEnum):
    NEW = "NEW"
    ACKNOWLEDGED = "ACKNOWLEDGED"
    SNOOZED = "SNOOZED"
    DISMISSED = "DISMISSED"
    RESOLVED = "RESOLVED"


class InsightType(StrEnum):
    WEEKLY_SUMMARY = "weekly_summary"
    ACHIEVEMENT = "achievement"
    RECOMMENDATION = "recommendation"
    MILESTONE = "milestone"
    TIP = "tip"


class InsightStatus(StrEnum):
    UNREAD = "unread"
    READ = "read"
    DISMISSED = "dismissed"
    ACTED_ON = "acted_on"


class InterventionKind(StrEnum):
    """What a seed 000 intervention changed."""

    AUTOMATION = "automation"
    WORKFLOW = "workflow"
    TOOL_STACK = "tool_stack"
    PROCESS = "process"


class MetricDirection(StrEnum):
    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"


class RiskStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class ProposalStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    APPROVED = "approved"
    ACTIVE = "active"
    COMPLETED = "completed"
    DECLINED = "declined"


class DeliverableStatus(StrEnum):
    PENDING = "pending"
    IN_PROGRESS = "in-progress"
    COMPLETED = "completed"
    BLOCKED = "blocked"


class PaymentStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    OVERDUE = "overdue"


class ContractStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    COMPLETED = "completed"
    TERMINATED = "terminated"
