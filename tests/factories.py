"""Small factories: each call adds one valid row with sensible defaults and flushes it."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.activities.models import Activity, Note
from domain.adoption.models import Feature, FeatureAdoption
from domain.alerts.models import Alert
from domain.billing.models import Invoice
from domain.churn.models import ChurnModel, ChurnPrediction
from domain.clients.models import Client, Contact
from domain.enums import (
    ActivityType,
    AlertSeverity,
    AlertType,
    ContactRole,
    ContractTier,
    EventType,
    HealthStatus,
    InterventionKind,
    InvoiceStatus,
    MetricDirection,
    ProposalStatus,
    Role,
    SupportInteractionType,
    SurveyKind,
    TicketSeverity,
    TicketStatus,
)
from domain.onboarding.models import Milestone
from domain.operations.models import Company, Contract, Deliverable, Payment, Proposal
from domain.scoring.models import HealthSnapshot, ScoreConfig
from domain.staff.models import User, Workspace
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
from domain.usage.models import EngagementEvent, UsageRollup

_T0 = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)

_counter = itertools.count(1)


class Factory:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _add(self, row: Any) -> Any:
        self.session.add(row)
        self.session.flush()
        return row

    def workspace(self, **overrides: Any) -> Workspace:
        n = next(_counter)
        return self._add(Workspace(**{"slug": f"ws-{n}", "name": f"Workspace {n}", **overrides}))

    def user(self, workspace: Workspace, role: Role = Role.CSM, **overrides: Any) -> User:
        n = next(_counter)
        values = {"workspace_id": workspace.id, "email": f"user{n}@example.com", "name": f"User {n}", "role": role}
        return self._add(User(**{**values, **overrides}))

    def actor(self, user: User) -> Actor:
        return Actor.from_user(user)

    def client(self, workspace: Workspace, **overrides: Any) -> Client:
        n = next(_counter)
        values: dict[str, Any] = {
            "workspace_id": workspace.id,
            "name": f"Client {n}",
            "contract_tier": ContractTier.PROFESSIONAL,
            "contract_start_date": dt.date(2025, 1, 1),
            "annual_recurring_revenue": Decimal("50000"),
        }
        return self._add(Client(**{**values, **overrides}))

    def contact(self, client: Client, **overrides: Any) -> Contact:
        n = next(_counter)
        values = {"client_id": client.id, "name": f"Contact {n}", "email": f"c{n}@client.test"}
        values["role"] = ContactRole.USER
        return self._add(Contact(**{**values, **overrides}))

    def engagement(self, client: Client, consultant: User, **overrides: Any) -> Proposal:
        """A company plus an approved proposal owned by `consultant` (what gives a consultant access)."""
        company = self._add(Company(workspace_id=client.workspace_id, client_id=client.id, name=client.name))
        values = {
            "workspace_id": client.workspace_id,
            "company_id": company.id,
            "client_id": client.id,
            "consultant_id": consultant.id,
            "title": f"Engagement for {client.name}",
            "status": ProposalStatus.APPROVED,
        }
        return self._add(Proposal(**{**values, **overrides}))

    def note(self, client: Client, author: User, **overrides: Any) -> Note:
        values = {"client_id": client.id, "content": "a note", "created_by_id": author.id}
        return self._add(Note(**{**values, **overrides}))

    def proposal(self, client: Client, consultant: User | None = None, **overrides: Any) -> Proposal:
        """Another proposal on a client, reusing its company (engagement() creates the company)."""
        company = self.session.scalar(select(Company).where(Company.client_id == client.id))
        if company is None:
            company = self._add(Company(workspace_id=client.workspace_id, client_id=client.id, name=client.name))
        values = {
            "workspace_id": client.workspace_id,
            "company_id": company.id,
            "client_id": client.id,
            "consultant_id": consultant.id if consultant else None,
            "title": f"Proposal {next(_counter)} for {client.name}",
        }
        return self._add(Proposal(**{**values, **overrides}))

    def contract(self, company: Company, **overrides: Any) -> Contract:
        values = {
            "workspace_id": company.workspace_id,
            "company_id": company.id,
            "reference": f"contract-{next(_counter)}",
        }
        return self._add(Contract(**{**values, **overrides}))

    def deliverable(self, contact: Contact, **overrides: Any) -> Deliverable:
        return self._add(
            Deliverable(**{"contact_id": contact.id, "title": f"Deliverable {next(_counter)}", **overrides})
        )

    def payment(self, proposal: Proposal, **overrides: Any) -> Payment:
        values = {
            "proposal_id": proposal.id,
            "description": "Deposit",
            "amount": Decimal("1000"),
            "due_date": _T0.date(),
        }
        return self._add(Payment(**{**values, **overrides}))

    def invoice(self, client: Client, **overrides: Any) -> Invoice:
        values = {
            "client_id": client.id,
            "number": f"INV-{next(_counter)}",
            "amount": Decimal("1200"),
            "issued_on": _T0.date(),
            "due_date": _T0.date() + dt.timedelta(days=30),
            "status": InvoiceStatus.OPEN,
        }
        return self._add(Invoice(**{**values, **overrides}))

    def activity(self, client: Client, performer: User, **overrides: Any) -> Activity:
        values = {
            "client_id": client.id,
            "activity_type": ActivityType.CALL,
            "subject": "Check-in call",
            "performed_by_id": performer.id,
            "occurred_at": _T0,
        }
        return self._add(Activity(**{**values, **overrides}))

    def engagement_event(self, client: Client, **overrides: Any) -> EngagementEvent:
        values = {
            "workspace_id": client.workspace_id,
            "client_id": client.id,
            "event_id": f"evt-{next(_counter)}",
            "user_ref": "u-1",
            "event_type": EventType.LOGIN,
            "occurred_at": _T0,
            "occurred_on": _T0.date(),
            "occurred_hour": _T0.hour,
        }
        return self._add(EngagementEvent(**{**values, **overrides}))

    def usage_rollup(self, client: Client, **overrides: Any) -> UsageRollup:
        values = {
            "client_id": client.id,
            "day": _T0.date(),
            "daily_active_users": 2,
            "weekly_active_users": 5,
        }
        return self._add(UsageRollup(**{"monthly_active_users": 9, **values, **overrides}))

    def feature(self, workspace: Workspace, **overrides: Any) -> Feature:
        n = next(_counter)
        values = {
            "workspace_id": workspace.id,
            "key": f"feature_{n}",
            "name": f"Feature {n}",
            "module": "Core",
            "expected_usage_metric": "10+ uses/month",
        }
        return self._add(Feature(**{**values, **overrides}))

    def feature_adoption(self, client: Client, feature: Feature, **overrides: Any) -> FeatureAdoption:
        return self._add(FeatureAdoption(**{"client_id": client.id, "feature_id": feature.id, **overrides}))

    def score_config(self, workspace: Workspace, **overrides: Any) -> ScoreConfig:
        values = {
            "workspace_id": workspace.id,
            "model_key": "health",
            "name": "Default health",
            "components": [{"name": "usage", "metric": "dau", "normalise": "linear", "weight": 1.0}],
            "bands": [{"status": "HEALTHY", "min": 70}, {"status": "CRITICAL", "min": 0}],
        }
        return self._add(ScoreConfig(**{**values, **overrides}))

    def health_snapshot(self, client: Client, config: ScoreConfig, **overrides: Any) -> HealthSnapshot:
        values = {
            "client_id": client.id,
            "day": _T0.date(),
            "overall_score": 72.5,
            "status": HealthStatus.HEALTHY,
            "components": {"usage": 72.5},
            "weights": {"usage": 1.0},
            "config_id": config.id,
        }
        return self._add(HealthSnapshot(**{**values, **overrides}))

    def churn_model(self, workspace: Workspace, **overrides: Any) -> ChurnModel:
        values = {
            "workspace_id": workspace.id,
            "version": f"default-{next(_counter)}",
            "coefficients": {"x": 1.0},
        }
        return self._add(ChurnModel(**{**values, **overrides}))

    def churn_prediction(self, client: Client, model: ChurnModel, **overrides: Any) -> ChurnPrediction:
        values = {
            "client_id": client.id,
            "day": _T0.date(),
            "model_id": model.id,
            "probability_30d": 0.1,
            "probability_60d": 0.2,
            "probability_90d": 0.3,
            "risk_band": "medium",
            "confidence": 0.8,
        }
        return self._add(ChurnPrediction(**{**values, **overrides}))

    def alert(self, client: Client, **overrides: Any) -> Alert:
        values = {
            "client_id": client.id,
            "alert_type": AlertType.HEALTH_DROP,
            "severity": AlertSeverity.HIGH,
            "title": "Health dropped",
            "description": "Health fell 15 points in 30 days.",
        }
        return self._add(Alert(**{**values, **overrides}))

    def result_target(self, client: Client, **overrides: Any) -> ResultTarget:
        values = {
            "client_id": client.id,
            "current_state": "Reports take 10 hours a week",
            "target_state": "Reports take 2 hours a week",
            "metric": "reporting_hours",
            "unit": "hours/week",
            "direction": MetricDirection.LOWER_IS_BETTER,
            "current_value": Decimal("10"),
            "target_value": Decimal("2"),
            "start_date": _T0.date(),
            "target_date": _T0.date() + dt.timedelta(days=90),
        }
        return self._add(ResultTarget(**{**values, **overrides}))

    def outcome_entry(self, client: Client, **overrides: Any) -> OutcomeEntry:
        values = {
            "client_id": client.id,
            "metric": "reporting_hours",
            "unit": "hours/week",
            "value": Decimal("8"),
            "week_start": dt.date(2025, 3, 3),
        }
        return self._add(OutcomeEntry(**{**values, **overrides}))

    def milestone(self, client: Client, **overrides: Any) -> Milestone:
        return self._add(
            Milestone(**{"client_id": client.id, "milestone_type": "first_form", "achieved_at": _T0, **overrides})
        )

    def risk(self, client: Client, **overrides: Any) -> Risk:
        values = {"client_id": client.id, "description": "Champion on leave", "raised_on": _T0.date()}
        return self._add(Risk(**{**values, **overrides}))

    def survey_response(self, client: Client, **overrides: Any) -> SurveyResponse:
        values = {"client_id": client.id, "kind": SurveyKind.NPS, "score": 9, "responded_at": _T0}
        return self._add(SurveyResponse(**{**values, **overrides}))

    def support_ticket(self, client: Client, **overrides: Any) -> SupportTicket:
        values = {
            "client_id": client.id,
            "external_ref": f"T-{next(_counter)}",
            "subject": "Export fails",
            "severity": TicketSeverity.MEDIUM,
            "status": TicketStatus.OPEN,
            "opened_at": _T0,
        }
        return self._add(SupportTicket(**{**values, **overrides}))

    def intervention(self, client: Client, **overrides: Any) -> Intervention:
        values = {
            "client_id": client.id,
            "kind": InterventionKind.AUTOMATION,
            "title": "Automated the weekly report",
            "occurred_on": _T0.date(),
        }
        return self._add(Intervention(**{**values, **overrides}))

    def client_feedback(self, client: Client, **overrides: Any) -> ClientFeedback:
        values = {"client_id": client.id, "response": "Approvals still feel slow", "received_on": _T0.date()}
        return self._add(ClientFeedback(**{**values, **overrides}))

    def baseline(self, client: Client, **overrides: Any) -> BaselineSnapshot:
        values = {
            "client_id": client.id,
            "captured_on": _T0.date(),
            "metrics": {"reporting_hours": {"value": 10.0, "unit": "hours/week"}},
        }
        return self._add(BaselineSnapshot(**{**values, **overrides}))

    def proof_post(self, client: Client, **overrides: Any) -> ProofPost:
        values = {"client_id": client.id, "title": "Reporting down to 2 hours", "body": "Measured over 8 weeks."}
        return self._add(ProofPost(**{**values, **overrides}))

    def support_interaction(self, client: Client, **overrides: Any) -> SupportInteraction:
        values = {"client_id": client.id, "type": SupportInteractionType.CHECK_IN, "occurred_at": _T0}
        return self._add(SupportInteraction(**{**values, **overrides}))
