"""The facts alert rules read about one client, and what a rule proposes: plain data, no I/O."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from domain.enums import AlertSeverity, AlertType, ContactRole, DeliverableStatus, PaymentStatus

KEY_CONTACT_ROLES = (ContactRole.CHAMPION, ContactRole.EXECUTIVE_SPONSOR, ContactRole.ADMIN)


@dataclass(frozen=True, slots=True)
class KeyContact:
    """A champion, executive sponsor or admin; departed ones are kept for CHAMPION_RISK."""

    id: int
    name: str
    role: ContactRole
    last_login: dt.datetime | None = None
    is_active: bool = True
    left_company_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class OpenDeliverable:
    """A seed 003 deliverable that is not completed."""

    id: int
    title: str
    status: DeliverableStatus
    updated_at: dt.datetime
    due_date: dt.date | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class OpenPayment:
    """A seed 003 scheduled payment that is not paid."""

    id: int
    description: str
    amount: Decimal
    due_date: dt.date
    status: PaymentStatus = PaymentStatus.PENDING
    currency: str = "USD"


@dataclass(frozen=True, slots=True)
class UnpaidInvoice:
    """A subscription invoice past its due date and unpaid on the day evaluated."""

    number: str
    amount: Decimal
    due_date: dt.date
    currency: str = "USD"


@dataclass(frozen=True, slots=True)
class NpsResponse:
    id: int
    score: int
    responded_at: dt.datetime


@dataclass(slots=True)
class AlertInputs:
    """Everything the alert rules read about one client at one moment. None means "no data"."""

    client_id: int
    client_name: str
    as_of: dt.date
    now: dt.datetime
    segment: str | None = None
    licensed_user_count: int | None = None
    licensed_features: tuple[str, ...] = ()
    next_renewal_date: dt.date | None = None
    # days before as_of -> overall health score that day (0 is as_of itself)
    health: dict[int, float] = field(default_factory=dict)
    has_usage_data: bool = False
    dau_7d: float | None = None
    dau_baseline: float | None = None  # average DAU over the 30 days before the 7-day window
    # Usage expected now relative to the baseline window (below 1.0 in the segment's declared slow months).
    expected_usage_factor: float = 1.0
    mau: int | None = None
    feature_uses_30d: dict[str, int] = field(default_factory=dict)
    feature_uses_prev_30d: dict[str, int] = field(default_factory=dict)
    tickets_30d: int = 0
    tickets_prior_90d: int = 0
    last_activity_at: dt.datetime | None = None
    go_live_date: dt.date | None = None
    key_contacts: list[KeyContact] = field(default_factory=list)
    latest_nps: NpsResponse | None = None
    deliverables: list[OpenDeliverable] = field(default_factory=list)
    payments: list[OpenPayment] = field(default_factory=list)
    unpaid_invoices: list[UnpaidInvoice] = field(default_factory=list)

    @property
    def days_to_renewal(self) -> int | None:
        return None if self.next_renewal_date is None else (self.next_renewal_date - self.as_of).days

    def days_since(self, moment: dt.datetime) -> int:
        """Whole calendar days between a moment (read in UTC) and as_of."""
        return (self.as_of - moment.astimezone(dt.UTC).date()).days

    def hours_since(self, moment: dt.datetime) -> float:
        return (self.now - moment).total_seconds() / 3600


@dataclass(frozen=True, slots=True)
class AlertCandidate:
    """An alert a rule says should be open now; the engine turns it into a new or refreshed Alert row."""

    alert_type: AlertType
    severity: AlertSeverity
    title: str
    description: str
    trigger_metric: str
    trigger_value: str
    trigger_threshold: str
    recommended_action: str
    subject_key: str = ""
    related_entity_type: str | None = None
    related_entity_id: str | None = None


# A rule returns the alerts that hold now ([] when none), or None when the client lacks the data to judge,
# in which case the engine leaves that type's existing alerts exactly as they are.
Rule = Callable[[AlertInputs, Mapping[str, Any]], list[AlertCandidate] | None]


def number(value: float) -> str:
    """A number as a person writes it: 12, 12.5, 0.33."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".") if abs(value) < 1 else f"{value:.1f}"


def days(count: int) -> str:
    """'1 day', '3 days'."""
    return f"{count} day" if count == 1 else f"{count} days"


def in_days(count: int) -> str:
    """'today', 'tomorrow', 'in 5 days'."""
    return {0: "today", 1: "tomorrow"}.get(count, f"in {days(count)}")


def money(amount: Decimal, currency: str) -> str:
    return f"{currency} {amount:,.2f}"
