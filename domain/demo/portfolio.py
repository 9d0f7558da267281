"""The whole demo book: the stories first (stable ids), then a random mix of accounts."""

from __future__ import annotations

import datetime as dt

from faker import Faker

from domain.demo.archetypes import pick_archetype
from domain.demo.clock import faker_for, rng_for
from domain.demo.plan import ClientPlan
from domain.demo.profile import ClientSpec, plan_client
from domain.demo.staff import ACCOUNT_EXECUTIVE
from domain.demo.stories import STORIES
from domain.errors import ValidationError

MIN_CLIENTS = 10  # the stories plus a couple of ordinary accounts around them
# Who owns the non-story accounts, in turn: every CSM appears even in a small demo, the senior CSM
# carries fewer, and Jane's book (which holds most stories) stays comparable to the others.
OWNER_ROTATION = (
    "marcus@demo.csagent.dev",
    "senior@demo.csagent.dev",
    "john@demo.csagent.dev",
    "priya@demo.csagent.dev",
    "jane@demo.csagent.dev",
    "marcus@demo.csagent.dev",
    "john@demo.csagent.dev",
    "priya@demo.csagent.dev",
)
AE_COVERAGE = 0.85  # the AE is on most accounts; the small ones renew without one


def plan_portfolio(*, seed: int, as_of: dt.date, clients: int) -> list[ClientPlan]:
    """Plan every demo client; client i's draws depend only on (seed, i), never on the client count."""
    if clients < MIN_CLIENTS:
        raise ValidationError(f"the demo needs at least {MIN_CLIENTS} clients, got {clients}")
    fake = faker_for(seed)
    plans: list[ClientPlan] = []
    for index, story in enumerate(STORIES):
        fake.seed_instance(f"{seed}/client/{index}")
        rng = rng_for(seed, "plan", index)
        plan = plan_client(rng=rng, fake=fake, as_of=as_of, index=index, archetype=story.archetype, spec=story.spec)
        story.shape(plan)
        plan.story = story.key
        plans.append(plan)
    taken = {plan.name for plan in plans}
    for index in range(len(STORIES), clients):
        fake.seed_instance(f"{seed}/client/{index}")
        rng = rng_for(seed, "plan", index)
        spec = ClientSpec(
            name=_company_name(fake, taken),
            csm_email=OWNER_ROTATION[(index - len(STORIES)) % len(OWNER_ROTATION)],
            ae_email=ACCOUNT_EXECUTIVE if rng.random() < AE_COVERAGE else None,
        )
        archetype = pick_archetype(rng)
        plans.append(plan_client(rng=rng, fake=fake, as_of=as_of, index=index, archetype=archetype, spec=spec))
    return plans


def _company_name(fake: Faker, taken: set[str]) -> str:
    """A company name not used yet in the workspace (names are unique per tenant)."""
    name = fake.company()
    while name in taken:
        name = f"{fake.company()} {fake.random_element(('Group', 'Holdings', 'Partners', 'International'))}"
    taken.add(name)
    return name


def story_names(plans: list[ClientPlan]) -> dict[str, str]:
    return {plan.story: plan.name for plan in plans if plan.story is not None}
