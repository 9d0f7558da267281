"""Seed 002's onboarding success path: which step is done, missed or pending on a given day. No I/O."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

StepState = Literal["done", "missed", "pending"]

FULLY_ACTIVATED = "fully_activated"


@dataclass(frozen=True, slots=True)
class OnboardingStep:
    day: int
    actions: tuple[str, ...]
    success_metric: str | None = None
    intervention_if_missed: str | None = None
    milestone: str | None = None
    celebration: str | None = None


ONBOARDING_PATH: tuple[OnboardingStep, ...] = (
    OnboardingStep(0, ("account_created", "vendor_type_selected"), success_metric="completed_wizard"),
    OnboardingStep(1, ("first_login", "import_clients_started"), intervention_if_missed="send_getting_started_video"),
    OnboardingStep(
        3, ("first_form_created", "invite_sent_to_client"), intervention_if_missed="offer_form_creation_help"
    ),
    OnboardingStep(
        7, ("customer_journey_started", "multiple_clients_active"), intervention_if_missed="schedule_onboarding_call"
    ),
    OnboardingStep(14, (), milestone=FULLY_ACTIVATED, celebration="send_success_certificate"),
)

# The actions a CSM or the platform records; fully_activated follows from them and is never recorded directly.
ONBOARDING_ACTIONS: tuple[str, ...] = tuple(action for step in ONBOARDING_PATH for action in step.actions)


@dataclass(frozen=True, slots=True)
class StepStatus:
    step: OnboardingStep
    due_on: dt.date
    done_actions: tuple[str, ...]
    missing_actions: tuple[str, ...]
    state: StepState

    @property
    def intervention(self) -> str | None:
        """The seed's intervention for a missed step; none for a step that is done or still pending."""
        return self.step.intervention_if_missed if self.state == "missed" else None


def is_fully_activated(completed: Collection[str]) -> bool:
    return set(ONBOARDING_ACTIONS) <= set(completed)


def step_statuses(*, started_on: dt.date, completed: Collection[str], as_of: dt.date) -> list[StepStatus]:
    """Each step of the path on `as_of`: a step is missed once its day has fully passed without all its actions.

    The day 14 milestone step needs every action of the path, so it is done exactly when the client is
    fully activated.
    """
    done = set(completed)
    statuses = []
    for step in ONBOARDING_PATH:
        needed = step.actions if step.milestone is None else ONBOARDING_ACTIONS
        missing = tuple(action for action in needed if action not in done)
        due_on = started_on + dt.timedelta(days=step.day)
        state: StepState = "done" if not missing else ("missed" if as_of > due_on else "pending")
        present = tuple(action for action in needed if action in done)
        statuses.append(
            StepStatus(step=step, due_on=due_on, done_actions=present, missing_actions=missing, state=state)
        )
    return statuses


def missed_steps(*, started_on: dt.date, completed: Collection[str], as_of: dt.date) -> list[StepStatus]:
    """The action steps (not the day 14 milestone, which only repeats them) missed by `as_of`."""
    return [
        status
        for status in step_statuses(started_on=started_on, completed=completed, as_of=as_of)
        if status.state == "missed" and status.step.milestone is None
    ]


def remaining_actions(completed: Collection[str]) -> list[str]:
    """Path actions not yet done, in path order."""
    done = set(completed)
    return [action for action in ONBOARDING_ACTIONS if action not in done]


def humanize(name: str) -> str:
    """`first_form_created` -> `first form created`, for sentences shown to CSMs."""
    return name.replace("_", " ")
