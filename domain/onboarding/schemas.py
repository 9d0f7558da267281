"""Pydantic views of onboarding, milestones and intervention recommendations: what services return."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel

from domain.enums import EventType
from domain.onboarding.models import MilestoneMeasure


class OnboardingStepView(BaseModel):
    day: int
    due_on: dt.date | None  # None until onboarding has started
    actions: list[str]
    done_actions: list[str]
    missing_actions: list[str]
    state: Literal["done", "missed", "pending"]
    intervention: str | None  # the seed's intervention_if_missed, set only when the step is missed
    success_metric: str | None
    milestone: str | None
    celebration: str | None


class OnboardingStatus(BaseModel):
    client_id: int
    client_name: str
    as_of: dt.date
    started_on: dt.date | None  # None: no onboarding on record
    day_number: int | None  # days since started_on
    completed_actions: list[str]
    remaining_actions: list[str]
    fully_activated_at: dt.datetime | None
    steps: list[OnboardingStepView]
    recommended_interventions: list[str]  # one per missed step, in path order


class MilestoneDefinitionView(BaseModel):
    id: int
    key: str
    name: str
    event_type: EventType
    feature_key: str | None
    measure: MilestoneMeasure
    threshold: int
    celebration: str
    enabled: bool


class MilestoneView(BaseModel):
    id: int
    client_id: int
    client_name: str
    milestone_type: str
    name: str
    achieved_at: dt.datetime
    celebrated: bool
    celebration: str  # the advised celebration in plain words; nothing is sent


class RunStatus(StrEnum):
    """An intervention run's lifecycle: recommended to the CSM, then done or dismissed by them."""

    RECOMMENDED = "recommended"
    DONE = "done"
    DISMISSED = "dismissed"


class InterventionRuleView(BaseModel):
    id: int
    condition: str
    action: str
    template: str
    enabled: bool


class RecommendedAction(BaseModel):
    run_id: int
    client_id: int
    client_name: str
    run_on: dt.date
    condition: str
    action: str
    template: str
    recommended_action: str  # plain words naming the client and its data
    status: RunStatus
    details: dict[str, Any]


class InterventionRunReport(BaseModel):
    """What one daily run recommended. Nothing is ever sent: every row waits for a CSM."""

    workspace_id: int
    as_of: dt.date
    conditions: list[str]  # the enabled rules evaluated
    clients_evaluated: int
    recommended: int  # new runs written
    already_recorded: int  # findings that had a run for this day already (a re-run)
    suppressed: int  # findings skipped because a CSM closed the same rule for the client recently
    by_condition: dict[str, int]  # new runs per condition
