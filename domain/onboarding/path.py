"""Recording onboarding actions and reporting where a client stands on seed 002's success path."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import Actor, get_visible_client
from domain.audit import record_audit
from domain.clients.models import Client
from domain.errors import ValidationError
from domain.onboarding.models import Milestone, OnboardingProgress
from domain.onboarding.path_rules import (
    FULLY_ACTIVATED,
    ONBOARDING_ACTIONS,
    ONBOARDING_PATH,
    OnboardingStep,
    StepStatus,
    is_fully_activated,
    remaining_actions,
    step_statuses,
)
from domain.onboarding.schemas import OnboardingStatus, OnboardingStepView


@dataclass(frozen=True, slots=True)
class ProgressFacts:
    """One client's onboarding progress as read for a whole workspace at once."""

    started_on: dt.date
    completed: tuple[str, ...]
    fully_activated_at: dt.datetime | None


def record_onboarding_action(
    *, db_session: Session, actor: Actor, client_id: int, action: str, at: dt.datetime
) -> OnboardingStatus:
    """Record that a client completed an onboarding action; recording it again changes nothing."""
    action = _valid_action(action)
    client = get_visible_client(db_session, actor, client_id)
    progress = db_session.scalar(select(OnboardingProgress).where(OnboardingProgress.client_id == client.id))
    before = None if progress is None else _audit_state(progress)
    if progress is None:
        progress = OnboardingProgress(client_id=client.id, started_on=at.date(), completed_actions=[])
        db_session.add(progress)
    elif action in progress.completed_actions:
        return _status(client, progress, at.date())
    # Actions may be recorded late and out of order; the path starts on the earliest one.
    progress.started_on = min(progress.started_on, at.date())
    completed = [*progress.completed_actions, action]
    if is_fully_activated(completed) and progress.fully_activated_at is None:
        progress.fully_activated_at = at
        # Scoring counts fully_activated as the path's ninth step (scoring.metrics.ONBOARDING_STEPS_TOTAL).
        completed.append(FULLY_ACTIVATED)
        _record_activation_milestone(db_session, client.id, at)
    progress.completed_actions = completed  # reassigned, not appended: JSON columns track assignment only
    db_session.flush()
    record_audit(
        db_session,
        workspace_id=client.workspace_id,
        actor_user_id=actor.user_id,
        action="record_onboarding_action",
        entity_type="onboarding_progress",
        entity_id=progress.id,
        before=before,
        after=_audit_state(progress),
    )
    db_session.flush()
    return _status(client, progress, at.date())


def onboarding_status(*, db_session: Session, actor: Actor, client_id: int, as_of: dt.date) -> OnboardingStatus:
    """Where a client stands on the onboarding path on `as_of`: each step done, missed or pending."""
    client = get_visible_client(db_session, actor, client_id)
    progress = db_session.scalar(select(OnboardingProgress).where(OnboardingProgress.client_id == client.id))
    return _status(client, progress, as_of)


def onboarding_progress_by_client(*, db_session: Session, workspace_id: int) -> dict[int, ProgressFacts]:
    """Every client's onboarding progress in a workspace, in one query (for daily jobs)."""
    rows = db_session.execute(
        select(
            OnboardingProgress.client_id,
            OnboardingProgress.started_on,
            OnboardingProgress.completed_actions,
            OnboardingProgress.fully_activated_at,
        )
        .join(Client, Client.id == OnboardingProgress.client_id)
        .where(Client.workspace_id == workspace_id)
    )
    return {
        client_id: ProgressFacts(started_on, tuple(completed or ()), activated_at)
        for client_id, started_on, completed, activated_at in rows
    }


def _valid_action(action: str) -> str:
    name = action.strip().lower().replace(" ", "_")
    if name in ONBOARDING_ACTIONS:
        return name
    if name == FULLY_ACTIVATED:
        raise ValidationError("fully_activated follows from completing every onboarding action; record those")
    close = difflib.get_close_matches(name, ONBOARDING_ACTIONS, n=2)
    hint = f" Did you mean {' or '.join(close)}?" if close else f" Known actions: {', '.join(ONBOARDING_ACTIONS)}."
    raise ValidationError(f"unknown onboarding action {action!r}.{hint}")


def _record_activation_milestone(session: Session, client_id: int, at: dt.datetime) -> None:
    exists = session.scalar(
        select(Milestone.id).where(Milestone.client_id == client_id, Milestone.milestone_type == FULLY_ACTIVATED)
    )
    if exists is None:
        session.add(Milestone(client_id=client_id, milestone_type=FULLY_ACTIVATED, achieved_at=at, celebrated=False))


def _audit_state(progress: OnboardingProgress) -> dict[str, object]:
    activated = progress.fully_activated_at
    return {
        "started_on": progress.started_on.isoformat() if progress.started_on else None,
        "completed_actions": list(progress.completed_actions or []),
        "fully_activated_at": activated.isoformat() if activated else None,
    }


def _status(client: Client, progress: OnboardingProgress | None, as_of: dt.date) -> OnboardingStatus:
    completed = list(progress.completed_actions) if progress else []
    if progress is None:
        steps = [_not_started(step) for step in ONBOARDING_PATH]
    else:
        steps = [
            _step_view(status)
            for status in step_statuses(started_on=progress.started_on, completed=completed, as_of=as_of)
        ]
    return OnboardingStatus(
        client_id=client.id,
        client_name=client.name,
        as_of=as_of,
        started_on=progress.started_on if progress else None,
        day_number=(as_of - progress.started_on).days if progress else None,
        completed_actions=completed,
        remaining_actions=remaining_actions(completed),
        fully_activated_at=progress.fully_activated_at if progress else None,
        steps=steps,
        recommended_interventions=[step.intervention for step in steps if step.intervention],
    )


def _step_view(status: StepStatus) -> OnboardingStepView:
    step = status.step
    return OnboardingStepView(
        day=step.day,
        due_on=status.due_on,
        actions=list(step.actions),
        done_actions=list(status.done_actions),
        missing_actions=list(status.missing_actions),
        state=status.state,
        intervention=status.intervention,
        success_metric=step.success_metric,
        milestone=step.milestone,
        celebration=step.celebration,
    )


def _not_started(step: OnboardingStep) -> OnboardingStepView:
    """Without onboarding on record nothing is due yet, so nothing can be missed."""
    missing = step.actions if step.milestone is None else ONBOARDING_ACTIONS
    return OnboardingStepView(
        day=step.day,
        due_on=None,
        actions=list(step.actions),
        done_actions=[],
        missing_actions=list(missing),
        state="pending",
        intervention=None,
        success_metric=step.success_metric,
        milestone=step.milestone,
        celebration=step.celebration,
    )
