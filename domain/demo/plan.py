"""What the generator decides about each demo client before writing a row: plain values, no ids."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from domain.demo.clock import history_start
from domain.enums import ContactRole, ContractTier, LifecycleStatus


@dataclass(frozen=True, slots=True)
class Archetype:
    """How a kind of account behaves; each (low, high) pair is a range a client draws from."""

    key: str  # "healthy" | "monitor" | "at_risk"
    utilisation: tuple[float, float]  # share of licensed seats that have platform users
    propensity: tuple[float, float]  # chance a user is active on a weekday
    trend: tuple[float, float]  # relative change in activity across the 180 days
    feature_intensity: tuple[float, float]  # use of a configured feature, as a multiple of expected
    unused_feature_share: float  # configured features nobody uses
    unconfigured_share: float  # licensed features never set up
    tickets_per_month: tuple[float, float]
    nps: tuple[int, int]
    csat: tuple[int, int]
    last_contact_days: tuple[int, int]
    activity_count: tuple[int, int]  # CSM activities over the 180 days
    overdue_invoice_chance: float


@dataclass(slots=True)
class ContactPlan:
    name: str
    email: str
    phone: str
    title: str
    role: ContactRole
    is_primary: bool = False
    is_billing: bool = False
    is_technical: bool = False
    user_index: int | None = None  # the contact's user in UsagePlan; None: no platform account


@dataclass(slots=True)
class UsagePlan:
    """Platform users and how active they are; day numbers count from as_of - 179 (day 0) to as_of (179)."""

    user_refs: list[str]
    propensity: list[float]
    first_day: list[int]  # a user's first possible active day (joined, or the client went live)
    last_day: list[int]  # a user's last possible active day (179 unless they stopped)
    trend: float  # activity on the last day relative to the first, minus one
    utc_shift_hours: int  # add to local working hours to get UTC hours
    feature_rates: dict[str, float]  # feature key -> uses per 30 days at the baseline level
    feature_last_day: dict[str, int] = field(default_factory=dict)  # features abandoned after that day
    step_day: int | None = None  # from this day on, every activity is multiplied by step_factor
    step_factor: float = 1.0
    forced_days: dict[int, list[int]] = field(default_factory=dict)  # day -> users who surely log in


@dataclass(slots=True)
class ClientPlan:
    index: int
    name: str
    domain: str  # contacts' email domain (reserved .example TLD: never a real address)
    archetype: Archetype
    csm_email: str
    ae_email: str | None
    tier: ContractTier
    industry: str
    employee_count: int
    region: str
    lifecycle: LifecycleStatus
    contract_start: dt.date
    renewal: dt.date
    go_live: dt.date | None
    arr: Decimal
    modules: list[str]
    licensed_users: int
    configured_features: list[str]
    tags: list[str]
    segment: str
    contacts: list[ContactPlan]
    usage: UsagePlan
    salesforce_id: str | None = None
    hubspot_id: str | None = None
    tickets_per_month: float = 1.0
    recent_ticket_spike: int = 0  # extra tickets opened in the last 30 days
    nps: tuple[int, int] = (7, 9)
    csat: tuple[int, int] = (3, 5)
    last_contact_days: int = 14
    activity_count: int = 8
    overdue_invoice_days: int | None = None  # the latest invoice is unpaid, due this many days ago
    story: str | None = None

    @property
    def external_id(self) -> str:
        return f"org-{self.index + 1:05d}"

    def age_in_window(self, as_of: dt.date) -> int:
        """Days from the later of contract start and the history start up to as_of: how far back rows may go."""
        return (as_of - max(self.contract_start, history_start(as_of))).days

    def contact_with_role(self, role: ContactRole) -> int:
        """Index of the first contact with this role (every plan has one of each key role)."""
        return next(i for i, contact in enumerate(self.contacts) if contact.role is role)
