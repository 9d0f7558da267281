"""One client's firmographics, contract and licence, drawn at random unless a story pins them."""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass
from decimal import Decimal

from faker import Faker

from domain.demo.catalogue import MODULES, features_of
from domain.demo.clock import between, days_before
from domain.demo.contacts import NamedContact, plan_contacts
from domain.demo.plan import Archetype, ClientPlan
from domain.demo.usage_plan import plan_usage
from domain.enums import ContractTier, LifecycleStatus

INDUSTRIES = (
    "Manufacturing", "Healthcare", "Financial Services", "Retail", "Technology", "Education", "Government",
    "Energy", "Legal", "Logistics", "Hospitality", "Media", "Pharmaceuticals", "Insurance", "Non-profit",
)  # fmt: skip
# Region and its UTC offset in hours, so users log in during their own working day.
REGIONS = (
    ("US East", -5), ("US Central", -6), ("US West", -8), ("Canada", -5), ("UK & Ireland", 0), ("DACH", 1),
    ("Nordics", 1), ("Benelux", 1), ("APAC", 10), ("LATAM", -3),
)  # fmt: skip
REGION_OFFSETS = dict(REGIONS)
TAGS = ("multi-site", "reference", "public-sector", "high-touch", "beta-program", "exec-change", "union-workforce")
TIER_WEIGHTS = ((ContractTier.STARTER, 40), (ContractTier.PROFESSIONAL, 40), (ContractTier.ENTERPRISE, 20))


@dataclass(frozen=True, slots=True)
class TierProfile:
    arr: tuple[int, int]
    users: tuple[int, int]
    employees: tuple[int, int]
    extra_modules: tuple[int, int]  # modules beyond Case Management, the core every client has


TIER_PROFILES = {
    ContractTier.STARTER: TierProfile((12_000, 30_000), (5, 12), (80, 600), (0, 1)),
    ContractTier.PROFESSIONAL: TierProfile((40_000, 95_000), (12, 30), (400, 4_000), (2, 3)),
    ContractTier.ENTERPRISE: TierProfile((100_000, 260_000), (30, 75), (3_000, 60_000), (3, 5)),
}


@dataclass(frozen=True, slots=True)
class ClientSpec:
    """What a story fixes about a client; everything left None is drawn at random."""

    name: str
    csm_email: str
    ae_email: str | None
    tier: ContractTier | None = None
    arr: int | None = None
    industry: str | None = None
    region: str | None = None
    renewal_in_days: int | None = None
    years_as_client: int | None = None
    modules: tuple[str, ...] | None = None
    licensed_users: int | None = None
    lifecycle: LifecycleStatus | None = None
    tags: tuple[str, ...] = ()
    named_contacts: tuple[NamedContact, ...] = ()


@dataclass(frozen=True, slots=True)
class ContractTerms:
    tier: ContractTier
    start: dt.date
    renewal: dt.date
    go_live: dt.date  # may lie after as_of: not live yet
    arr: Decimal
    modules: list[str]
    licensed_users: int


def plan_client(
    *, rng: random.Random, fake: Faker, as_of: dt.date, index: int, archetype: Archetype, spec: ClientSpec
) -> ClientPlan:
    """Draw one client: firmographics, contract, licence, contacts and usage behaviour."""
    terms = _draw_terms(rng, as_of, spec)
    region = spec.region or rng.choice(REGIONS)[0]
    configured = _configured(rng, terms.modules, archetype)
    contacts = plan_contacts(rng=rng, fake=fake, domain=_domain(spec.name), named=spec.named_contacts)
    usage = plan_usage(
        rng=rng,
        as_of=as_of,
        index=index,
        archetype=archetype,
        licensed_users=terms.licensed_users,
        contacts=contacts,
        go_live=terms.go_live,
        utc_offset=REGION_OFFSETS[region],
        configured=configured,
    )
    plan = ClientPlan(
        index=index,
        name=spec.name,
        domain=_domain(spec.name),
        archetype=archetype,
        csm_email=spec.csm_email,
        ae_email=spec.ae_email,
        tier=terms.tier,
        industry=spec.industry or rng.choice(INDUSTRIES),
        employee_count=rng.randint(*TIER_PROFILES[terms.tier].employees),
        region=region,
        lifecycle=spec.lifecycle or _lifecycle(as_of, terms.go_live),
        contract_start=terms.start,
        renewal=terms.renewal,
        go_live=terms.go_live if terms.go_live <= as_of else None,
        arr=terms.arr,
        modules=terms.modules,
        licensed_users=terms.licensed_users,
        configured_features=configured,
        tags=list(spec.tags) or _tags(rng, terms.tier),
        segment=_segment(terms.tier),
        contacts=contacts,
        usage=usage,
    )
    _draw_relationship(rng, plan)
    return plan


def _draw_terms(rng: random.Random, as_of: dt.date, spec: ClientSpec) -> ContractTerms:
    tier = spec.tier or rng.choices([t for t, _ in TIER_WEIGHTS], weights=[w for _, w in TIER_WEIGHTS])[0]
    profile = TIER_PROFILES[tier]
    start, renewal = _contract_dates(rng, as_of, spec)
    return ContractTerms(
        tier=tier,
        start=start,
        renewal=renewal,
        go_live=start + dt.timedelta(days=rng.randint(21, 50)),
        arr=Decimal(spec.arr or _round_to(rng.randint(*profile.arr))),
        modules=list(spec.modules) if spec.modules else _modules(rng, profile),
        licensed_users=spec.licensed_users or rng.randint(*profile.users),
    )


def _draw_relationship(rng: random.Random, plan: ClientPlan) -> None:
    """Support load, survey scores, CSM attention, billing and CRM links, from the archetype."""
    archetype = plan.archetype
    plan.tickets_per_month = between(rng, *archetype.tickets_per_month)
    plan.nps, plan.csat = archetype.nps, archetype.csat
    plan.last_contact_days = rng.randint(*archetype.last_contact_days)
    plan.activity_count = rng.randint(*archetype.activity_count)
    if rng.random() < archetype.overdue_invoice_chance:
        plan.overdue_invoice_days = rng.randint(5, 40)
    _assign_crm(rng, plan)


def _contract_dates(rng: random.Random, as_of: dt.date, spec: ClientSpec) -> tuple[dt.date, dt.date]:
    """Annual terms: the renewal falls in the next 12 months, the client signed some whole years earlier."""
    renewal = as_of + dt.timedelta(days=spec.renewal_in_days or rng.randint(7, 365))
    years = spec.years_as_client if spec.years_as_client is not None else rng.choice((0, 1, 1, 2, 2, 3, 4))
    term_start = renewal - dt.timedelta(days=365)
    return term_start - dt.timedelta(days=365 * years), renewal


def _lifecycle(as_of: dt.date, go_live: dt.date) -> LifecycleStatus:
    """New clients (live less than ~3 months, or not live yet) are still onboarding."""
    return LifecycleStatus.ONBOARDING if go_live > days_before(as_of, 90) else LifecycleStatus.ACTIVE


def _modules(rng: random.Random, profile: TierProfile) -> list[str]:
    extra = rng.sample(list(MODULES[1:]), rng.randint(*profile.extra_modules))
    return [module for module in MODULES if module == MODULES[0] or module in extra]


def _configured(rng: random.Random, modules: list[str], archetype: Archetype) -> list[str]:
    """Licensed features that were set up; case creation always is, it is what clients buy first."""
    features = features_of(modules)
    return [f.key for f in features if f.key == "case_creation" or rng.random() >= archetype.unconfigured_share]


def _tags(rng: random.Random, tier: ContractTier) -> list[str]:
    tags = rng.sample(list(TAGS), rng.choice((0, 1, 1, 2)))
    if tier is ContractTier.ENTERPRISE and rng.random() < 0.5:
        tags.append("strategic")
    return sorted(tags)


def _segment(tier: ContractTier) -> str:
    return {ContractTier.ENTERPRISE: "Strategic", ContractTier.PROFESSIONAL: "Mid-Market"}.get(tier, "Commercial")


def _assign_crm(rng: random.Random, plan: ClientPlan) -> None:
    """Most accounts sync with Salesforce, some with HubSpot, a few with neither."""
    roll = rng.random()
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    if roll < 0.7:
        plan.salesforce_id = "001" + "".join(rng.choice(alphabet) for _ in range(15))
    elif roll < 0.9:
        plan.hubspot_id = str(rng.randint(10**9, 10**10 - 1))


def _domain(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return f"{slug}.example"


def _round_to(value: int, step: int = 500) -> int:
    return max(step, round(value / step) * step)
