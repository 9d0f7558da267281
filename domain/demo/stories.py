"""Accounts a CSM would recognise from seed 004's screens, each with a problem (or chance) to find.

Acme must land AT_RISK (40-59) under seed 004's default weights, whatever the seed: usage ~40 (DAU down
40%, well under 30% of its seats), adoption ~25-50 (2-4 of 8 licensed features actively used), support
~65-100, relationship ~45-65 (45 days without contact, champion quiet for 22), contract ~65-75 (NPS 4-6,
invoices paid), outcomes ~20. domain.scoring gave it 45-56 over seeds 1-10 when this was tuned.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from domain.demo.archetypes import HEALTHY, MONITOR
from domain.demo.catalogue import (
    ANALYTICS,
    API,
    CASE_MANAGEMENT,
    CHATBOT,
    DISCLOSURES,
    POLICY_MANAGEMENT,
    features_of,
)
from domain.demo.clock import HISTORY_DAYS
from domain.demo.contacts import NamedContact
from domain.demo.plan import Archetype, ClientPlan
from domain.demo.profile import ClientSpec
from domain.demo.staff import ACCOUNT_EXECUTIVE as AE
from domain.enums import ContactRole, ContractTier, LifecycleStatus

JANE, JOHN, PRIYA = "jane@demo.csagent.dev", "john@demo.csagent.dev", "priya@demo.csagent.dev"
TODAY = HISTORY_DAYS - 1  # the day number of as_of


# Gamma's users: nearly every licensed seat taken, and busy.
EXPANSION = replace(HEALTHY, utilisation=(0.93, 0.97), propensity=(0.45, 0.5))
# Acme: a fixed share of its 60 seats in use, so its usage score does not depend on the seed.
DECLINING = replace(MONITOR, utilisation=(0.6, 0.6))


def days_ago(days: int) -> int:
    """The day number `days` before as_of."""
    return TODAY - days


@dataclass(frozen=True, slots=True)
class Story:
    key: str
    archetype: Archetype
    spec: ClientSpec
    shape: Callable[[ClientPlan], None]


def _acme(plan: ClientPlan) -> None:
    """Usage down 40% over the last 30 days, champion silent for 22 days, 45 days since the CSM called."""
    usage = plan.usage
    # Every user equally busy before the drop, so the drop (and nothing random) is what the scores see.
    usage.propensity = [0.45 for _ in usage.propensity]
    usage.trend, usage.step_day, usage.step_factor = 0.0, days_ago(29), 0.6
    champion = plan.contacts[plan.contact_with_role(ContactRole.CHAMPION)].user_index
    assert champion is not None  # champions always have a platform account
    usage.last_day[champion] = days_ago(22)
    usage.forced_days[days_ago(22)] = [champion]
    usage.feature_rates = {
        "case_creation": 14.0,
        "investigation_workflow": 1.0,
        "campaign_launch": 0.0,
        "disclosure_review": 18.0,
        "dashboard_views": 12.0,
        "report_exports": 0.0,
    }
    plan.configured_features = list(usage.feature_rates)
    plan.tickets_per_month, plan.nps, plan.csat = 1.5, (4, 6), (1, 3)
    plan.last_contact_days, plan.activity_count = 45, 5


def _beta(plan: ClientPlan) -> None:
    """Six extra tickets this month, and investigations stopped 40 days ago."""
    _scale_activity(plan, 1.8)
    _configure(plan, "investigation_workflow", 8.0)
    plan.usage.feature_last_day["investigation_workflow"] = days_ago(40)
    plan.tickets_per_month, plan.recent_ticket_spike = 1.0, 6
    plan.nps, plan.last_contact_days = (7, 8), 12


def _gamma(plan: ClientPlan) -> None:
    """Almost every seat active, power use, and trying modules it has not bought."""
    usage = plan.usage
    usage.propensity = [max(0.4, p) for p in usage.propensity]
    usage.first_day = [0 for _ in usage.first_day]
    usage.last_day = [TODAY for _ in usage.last_day]
    usage.trend = 0.15
    usage.feature_rates = dict.fromkeys(usage.feature_rates, 0.0)
    for key, rate in (
        ("case_creation", 30.0),
        ("investigation_workflow", 14.0),
        ("dashboard_views", 60.0),
        ("report_exports", 8.0),
    ):
        _configure(plan, key, rate)
    # Exploration of unlicensed modules: usage shows up, the licence does not (an expansion signal).
    usage.feature_rates |= {"chatbot_conversations": 6.0, "api_calls": 15.0, "policy_publish": 1.0}
    plan.tickets_per_month, plan.nps, plan.csat, plan.last_contact_days = 0.4, (9, 10), (4, 5), 6


def _delta(plan: ClientPlan) -> None:
    """A model account (every licensed feature set up and well used) whose latest invoice is 20 days overdue."""
    for feature in features_of(plan.modules):
        expected = feature.expected_monthly_usage
        _configure(plan, feature.key, max(1.0, expected * 1.5) if expected else 60.0)
    plan.overdue_invoice_days = 20


def _epsilon(plan: ClientPlan) -> None:
    """The chatbot was its most used feature until 45 days ago; nothing since."""
    _configure(plan, "chatbot_conversations", 40.0)
    plan.usage.feature_last_day["chatbot_conversations"] = days_ago(45)


def _engagement(plan: ClientPlan) -> None:
    """Consultancy clients: a steady account; the engagement itself is written by engagements.py."""
    plan.overdue_invoice_days = None


def _scale_activity(plan: ClientPlan, factor: float) -> None:
    plan.usage.propensity = [min(0.9, p * factor) for p in plan.usage.propensity]


def _configure(plan: ClientPlan, key: str, rate: float) -> None:
    if key not in plan.configured_features:
        plan.configured_features.append(key)
    plan.usage.feature_rates[key] = rate


STORIES: tuple[Story, ...] = (
    Story("at_risk_champion_inactive", DECLINING, ClientSpec(
        "Acme Corp", JANE, AE, tier=ContractTier.ENTERPRISE, arr=120_000, industry="Manufacturing", region="US Central",
        renewal_in_days=75, years_as_client=2, licensed_users=60,
        modules=(CASE_MANAGEMENT, DISCLOSURES, POLICY_MANAGEMENT, ANALYTICS),
        named_contacts=(
            NamedContact(ContactRole.CHAMPION, "Sarah Chen", "Chief Compliance Officer"),
            NamedContact(ContactRole.ADMIN, "Mike Johnson", "Compliance Systems Administrator"),
            NamedContact(ContactRole.USER, "Lisa Wang", "Investigator"),
            NamedContact(ContactRole.USER, "Tom Brown", "Investigator"),
        ),
    ), _acme),
    Story("support_spike", MONITOR, ClientSpec(
        "Beta Industries", JANE, AE, tier=ContractTier.PROFESSIONAL, arr=85_000, industry="Financial Services",
        renewal_in_days=180, years_as_client=1, modules=(CASE_MANAGEMENT, DISCLOSURES, ANALYTICS),
    ), _beta),
    Story("expansion_ready", EXPANSION, ClientSpec(
        "Gamma LLC", JOHN, AE, tier=ContractTier.PROFESSIONAL, arr=45_000, industry="Technology",
        renewal_in_days=45, years_as_client=1, licensed_users=25, modules=(CASE_MANAGEMENT, ANALYTICS),
        tags=("expansion-target",),
    ), _gamma),
    Story("overdue_invoice", HEALTHY, ClientSpec(
        "Delta Inc", JANE, AE, tier=ContractTier.ENTERPRISE, arr=200_000, industry="Energy", renewal_in_days=330,
        years_as_client=3,
    ), _delta),
    Story("abandoned_feature", HEALTHY, ClientSpec(
        "Epsilon Health", PRIYA, AE, tier=ContractTier.PROFESSIONAL, arr=68_000, industry="Healthcare",
        renewal_in_days=120, years_as_client=1, modules=(CASE_MANAGEMENT, ANALYTICS, CHATBOT),
    ), _epsilon),
    Story("engagement_building", HEALTHY, ClientSpec(
        "Northwind Logistics", JANE, AE, tier=ContractTier.PROFESSIONAL, arr=52_000, industry="Logistics",
        renewal_in_days=240, years_as_client=0, lifecycle=LifecycleStatus.BUILDING,
        modules=(CASE_MANAGEMENT, ANALYTICS, API),
    ), _engagement),
    Story("engagement_shipped", HEALTHY, ClientSpec(
        "BusinessPoint Law", JANE, AE, tier=ContractTier.STARTER, arr=24_000, industry="Legal", renewal_in_days=200,
        years_as_client=1, lifecycle=LifecycleStatus.SHIPPED, modules=(CASE_MANAGEMENT, POLICY_MANAGEMENT),
    ), _engagement),
    Story("engagement_approved", HEALTHY, ClientSpec(
        "Riverside Dental Group", JANE, AE, tier=ContractTier.STARTER, arr=18_000, industry="Healthcare",
        renewal_in_days=300, years_as_client=0, lifecycle=LifecycleStatus.APPROVED,
    ), _engagement),
)  # fmt: skip

ENGAGEMENT_STORIES = ("engagement_building", "engagement_shipped", "engagement_approved")
