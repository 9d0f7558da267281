"""Seed 002's onboarding path: missed-step logic by day (pure), recording actions and status (both backends)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.audit import AuditLog
from domain.enums import Role
from domain.errors import AccessDeniedError, NotFoundError, ValidationError
from domain.onboarding.models import Milestone, OnboardingProgress
from domain.onboarding.path import onboarding_status, record_onboarding_action
from domain.onboarding.path_rules import (
    FULLY_ACTIVATED,
    ONBOARDING_ACTIONS,
    is_fully_activated,
    missed_steps,
    remaining_actions,
    step_statuses,
)
from tests.factories import Factory

START = dt.date(2025, 3, 3)
DAY0 = ("account_created", "vendor_type_selected")
DAY1 = ("first_login", "import_clients_started")
DAY3 = ("first_form_created", "invite_sent_to_client")
DAY7 = ("customer_journey_started", "multiple_clients_active")


def at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(START + dt.timedelta(days=day), dt.time(hour), tzinfo=dt.UTC)


def states(completed: tuple[str, ...], day: int) -> dict[int, str]:
    statuses = step_statuses(started_on=START, completed=completed, as_of=START + dt.timedelta(days=day))
    return {status.step.day: status.state for status in statuses}


# --- pure rules ---------------------------------------------------------------------------------------------


def test_the_path_has_the_seeds_eight_actions_in_order() -> None:
    assert ONBOARDING_ACTIONS == DAY0 + DAY1 + DAY3 + DAY7


def test_nothing_is_missed_on_day_zero() -> None:
    assert states((), 0) == {0: "pending", 1: "pending", 3: "pending", 7: "pending", 14: "pending"}


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (1, {0: "missed", 1: "pending", 3: "pending", 7: "pending", 14: "pending"}),
        (2, {0: "missed", 1: "missed", 3: "pending", 7: "pending", 14: "pending"}),
        (3, {0: "missed", 1: "missed", 3: "pending", 7: "pending", 14: "pending"}),
        (4, {0: "missed", 1: "missed", 3: "missed", 7: "pending", 14: "pending"}),
        (8, {0: "missed", 1: "missed", 3: "missed", 7: "missed", 14: "pending"}),
        (15, {0: "missed", 1: "missed", 3: "missed", 7: "missed", 14: "missed"}),
    ],
)
def test_a_step_is_missed_once_its_day_has_passed(day: int, expected: dict[int, str]) -> None:
    assert states((), day) == expected


def test_done_steps_stay_done_whenever_they_were_done() -> None:
    assert states(DAY0 + DAY1, 5) == {0: "done", 1: "done", 3: "missed", 7: "pending", 14: "pending"}


def test_half_a_step_is_still_missed_and_names_what_is_missing() -> None:
    (status,) = missed_steps(started_on=START, completed=(*DAY0, "first_login"), as_of=START + dt.timedelta(days=2))
    assert status.step.day == 1
    assert status.done_actions == ("first_login",)
    assert status.missing_actions == ("import_clients_started",)
    assert status.intervention == "send_getting_started_video"


def test_missed_steps_carry_the_seeds_interventions_and_skip_the_milestone() -> None:
    missed = missed_steps(started_on=START, completed=DAY0, as_of=START + dt.timedelta(days=30))
    assert [status.intervention for status in missed] == [
        "send_getting_started_video",
        "offer_form_creation_help",
        "schedule_onboarding_call",
    ]


def test_the_day_14_milestone_is_done_exactly_when_every_action_is() -> None:
    assert states(ONBOARDING_ACTIONS, 20)[14] == "done"
    assert states(ONBOARDING_ACTIONS[:-1], 10)[14] == "pending"
    assert is_fully_activated(ONBOARDING_ACTIONS)
    assert not is_fully_activated(ONBOARDING_ACTIONS[:-1])
    assert remaining_actions(ONBOARDING_ACTIONS[:-1]) == ["multiple_clients_active"]


# --- recording and status -----------------------------------------------------------------------------------


@pytest.fixture
def world(factory: Factory) -> dict[str, object]:
    workspace = factory.workspace()
    csm = factory.user(workspace, Role.CSM)
    other_csm = factory.user(workspace, Role.CSM)
    client = factory.client(workspace, name="Acme Corp", csm_user_id=csm.id)
    outsider = factory.user(factory.workspace(), Role.ADMIN)
    return {
        "csm": factory.actor(csm),
        "other_csm": factory.actor(other_csm),
        "client": client,
        "outsider": factory.actor(outsider),
    }


def _audits(db_session: Session) -> int:
    return (
        db_session.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.entity_type == "onboarding_progress")
        )
        or 0
    )


def test_recording_the_first_action_starts_onboarding_and_is_audited(db_session: Session, world: dict) -> None:
    status = record_onboarding_action(
        db_session=db_session, actor=world["csm"], client_id=world["client"].id, action="account_created", at=at(0)
    )
    assert status.started_on == START
    assert status.completed_actions == ["account_created"]
    assert status.steps[0].state == "pending"
    assert _audits(db_session) == 1


def test_recording_an_action_again_changes_nothing(db_session: Session, world: dict) -> None:
    kwargs = {"db_session": db_session, "actor": world["csm"], "client_id": world["client"].id}
    record_onboarding_action(**kwargs, action="account_created", at=at(0))
    again = record_onboarding_action(**kwargs, action="Account Created", at=at(2))
    assert again.completed_actions == ["account_created"]
    assert _audits(db_session) == 1


def test_unknown_actions_are_refused_with_a_suggestion(db_session: Session, world: dict) -> None:
    kwargs = {"db_session": db_session, "actor": world["csm"], "client_id": world["client"].id, "at": at(0)}
    with pytest.raises(ValidationError, match="first_login"):
        record_onboarding_action(**kwargs, action="first_logon")
    with pytest.raises(ValidationError, match="follows from"):
        record_onboarding_action(**kwargs, action=FULLY_ACTIVATED)
    assert db_session.scalar(select(func.count()).select_from(OnboardingProgress)) == 0


def test_a_late_recorded_earlier_action_moves_the_start(db_session: Session, world: dict) -> None:
    kwargs = {"db_session": db_session, "actor": world["csm"], "client_id": world["client"].id}
    record_onboarding_action(**kwargs, action="first_login", at=at(1))
    status = record_onboarding_action(**kwargs, action="account_created", at=at(0))
    assert status.started_on == START


def test_completing_every_action_fully_activates_once(db_session: Session, world: dict) -> None:
    kwargs = {"db_session": db_session, "actor": world["csm"], "client_id": world["client"].id}
    for day, action in enumerate(ONBOARDING_ACTIONS):
        status = record_onboarding_action(**kwargs, action=action, at=at(day))
    assert status.fully_activated_at == at(7)
    assert status.completed_actions[-1] == FULLY_ACTIVATED  # the ninth step scoring counts
    assert status.steps[-1].state == "done"
    assert status.recommended_interventions == []
    milestone = db_session.scalars(select(Milestone).where(Milestone.client_id == world["client"].id)).one()
    assert (milestone.milestone_type, milestone.celebrated, milestone.achieved_at) == (FULLY_ACTIVATED, False, at(7))


def test_status_by_day_recommends_the_missed_steps_interventions(db_session: Session, world: dict) -> None:
    kwargs = {"db_session": db_session, "actor": world["csm"], "client_id": world["client"].id}
    for action in (*DAY0, *DAY1):
        record_onboarding_action(**kwargs, action=action, at=at(0))
    on_day_3 = onboarding_status(**kwargs, as_of=START + dt.timedelta(days=3))
    assert on_day_3.recommended_interventions == []
    on_day_4 = onboarding_status(**kwargs, as_of=START + dt.timedelta(days=4))
    assert on_day_4.day_number == 4
    assert on_day_4.recommended_interventions == ["offer_form_creation_help"]
    day3 = next(step for step in on_day_4.steps if step.day == 3)
    assert (day3.state, day3.due_on, day3.missing_actions) == ("missed", START + dt.timedelta(days=3), list(DAY3))
    on_day_9 = onboarding_status(**kwargs, as_of=START + dt.timedelta(days=9))
    assert on_day_9.recommended_interventions == ["offer_form_creation_help", "schedule_onboarding_call"]


def test_a_client_without_onboarding_has_nothing_missed(db_session: Session, world: dict) -> None:
    status = onboarding_status(db_session=db_session, actor=world["csm"], client_id=world["client"].id, as_of=START)
    assert status.started_on is None
    assert {step.state for step in status.steps} == {"pending"}
    assert status.remaining_actions == list(ONBOARDING_ACTIONS)


@pytest.mark.parametrize(("who", "error"), [("outsider", NotFoundError), ("other_csm", AccessDeniedError)])
def test_onboarding_is_scoped(db_session: Session, world: dict, who: str, error: type[Exception]) -> None:
    kwargs = {"db_session": db_session, "actor": world[who], "client_id": world["client"].id}
    with pytest.raises(error):
        record_onboarding_action(**kwargs, action="account_created", at=at(0))
    with pytest.raises(error):
        onboarding_status(**kwargs, as_of=START)
    assert db_session.scalar(select(func.count()).select_from(OnboardingProgress)) == 0
