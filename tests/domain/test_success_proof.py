"""Proof from outcomes: only from measured data, every number grounded in stored rows, refused without data."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.access import Actor, actor_for_email
from domain.clients.models import Client, Contact
from domain.demo import generate_demo
from domain.enums import InterventionKind, LifecycleStatus, MetricDirection, Role
from domain.errors import ValidationError
from domain.success import rules
from domain.success.journal import log_feedback, log_intervention
from domain.success.models import (
    BaselineSnapshot,
    ClientFeedback,
    Intervention,
    OutcomeEntry,
    ProofPost,
    ResultTarget,
)
from domain.success.proof import generate_proof
from domain.success.service import add_outcome_entry, record_baseline, set_result_target
from tests.factories import Factory

AS_OF = dt.date(2025, 4, 16)
START = dt.date(2025, 3, 3)
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE_PATTERN = re.compile(rf"\b(\d{{1,2}}) ({MONTHS}) (\d{{4}})\b")
NUMBER_PATTERN = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


def grounded(session: Session, client_id: int) -> tuple[set[Decimal], set[dt.date], list[str]]:
    """Numbers and dates derivable from the client's stored rows, and the stored text a post may quote."""
    target = session.scalar(select(ResultTarget).where(ResultTarget.client_id == client_id, ResultTarget.is_active))
    assert target is not None
    entries = session.scalars(select(OutcomeEntry).where(OutcomeEntry.client_id == client_id)).all()
    baselines = session.scalars(select(BaselineSnapshot).where(BaselineSnapshot.client_id == client_id)).all()
    interventions = session.scalars(select(Intervention).where(Intervention.client_id == client_id)).all()
    feedback = session.execute(
        select(ClientFeedback.response, Contact.name)
        .outerjoin(Contact, Contact.id == ClientFeedback.contact_id)
        .where(ClientFeedback.client_id == client_id)
    ).all()
    client = session.get(Client, client_id)
    assert client is not None
    starts = {Decimal(str(m["value"])) for b in baselines for m in b.metrics.values()} | {target.current_value}
    values = {target.target_value, *starts, *(e.value for e in entries)}
    numbers = {*values, Decimal(len(entries))}
    for start in starts:
        for latest in (e.value for e in entries):
            change = rules.change_between(start, latest)
            numbers.add(abs(change.absolute))
            numbers |= {abs(change.percent)} if change.percent is not None else set()
            raw = rules.raw_progress(target.direction, start, latest, target.target_value)
            numbers.add(Decimal(round(rules.clamp(raw) * 100)))
    dates = {target.start_date, target.target_date, *(b.captured_on for b in baselines)}
    dates |= {e.week_start for e in entries} | {i.occurred_on for i in interventions}
    texts = [client.name, target.metric, target.unit, *(i.title for i in interventions)]
    texts += [text for row in feedback for text in row if text]
    return {n.normalize() for n in numbers}, dates, sorted(texts, key=len, reverse=True)


def assert_grounded(session: Session, client_id: int, text: str) -> None:
    numbers, dates, quoted = grounded(session, client_id)
    for stored in quoted:  # stored text is data too; what is left was written from numbers
        text = text.replace(stored, " ")
    for day, month, year in DATE_PATTERN.findall(text):
        assert dt.datetime.strptime(f"{day} {month} {year}", "%d %B %Y").date() in dates, (day, month, year)
    text = DATE_PATTERN.sub(" ", text)
    for token in NUMBER_PATTERN.findall(text):
        assert Decimal(token.replace(",", "")).normalize() in numbers, f"{token!r} is not from the data"


@pytest.fixture
def setup(factory: Factory) -> tuple[Actor, Client, Contact]:
    workspace = factory.workspace()
    consultant = factory.user(workspace, Role.CONSULTANT)
    client = factory.client(
        workspace, name=f"Harbor 7 Freight {workspace.id}", lifecycle_status=LifecycleStatus.SHIPPED
    )
    factory.engagement(client, consultant)
    contact = factory.contact(client, name="Sam Okafor 2nd")
    return Actor.from_user(consultant), client, contact


def measured(session: Session, actor: Actor, client: Client, contact: Contact) -> None:
    set_result_target(
        db_session=session,
        actor=actor,
        client_id=client.id,
        current_state="32 hours of manual reports",
        target_state="8 hours",
        metric="hours on manual reporting",
        unit="hours/week",
        direction=MetricDirection.LOWER_IS_BETTER,
        current_value=32,
        target_value=8,
        start_date=START,
        target_date=START + dt.timedelta(weeks=12),
        as_of=AS_OF,
    )
    record_baseline(
        db_session=session, actor=actor, client_id=client.id, captured_on=dt.date(2025, 3, 7), as_of=AS_OF, value=32
    )
    for weeks, value in enumerate((30, 27, 24, 21.5, 19), start=1):
        add_outcome_entry(
            db_session=session,
            actor=actor,
            client_id=client.id,
            value=value,
            unit="hours/week",
            week_start=dt.date(2025, 3, 10) + dt.timedelta(weeks=weeks - 1),
            as_of=AS_OF,
        )
    for day, kind, title in (
        (25, InterventionKind.PROCESS, "Matched 4,200 matters by name"),
        (14, InterventionKind.AUTOMATION, "Nightly build from 3 systems"),
    ):
        log_intervention(
            db_session=session,
            actor=actor,
            client_id=client.id,
            kind=kind,
            title=title,
            occurred_on=dt.date(2025, 3, day),
            as_of=AS_OF,
        )
    log_feedback(
        db_session=session,
        actor=actor,
        client_id=client.id,
        response="Done by 9:30 on Mondays now.",
        contact_id=contact.id,
        sentiment="positive",
        received_on=dt.date(2025, 4, 1),
        as_of=AS_OF,
    )
    log_feedback(
        db_session=session,
        actor=actor,
        client_id=client.id,
        response="Exports still take 40 minutes.",
        sentiment="negative",
        received_on=dt.date(2025, 4, 10),
        as_of=AS_OF,
    )


def test_proof_states_only_measured_numbers(db_session: Session, setup: tuple[Actor, Client, Contact]) -> None:
    actor, client, contact = setup
    measured(db_session, actor, client, contact)
    post = generate_proof(db_session=db_session, actor=actor, client_id=client.id, as_of=AS_OF)
    for text in (post.title, post.body, *post.case_study_bullets, post.proposal_snippet):
        assert_grounded(db_session, client.id, text)
    numbers = post.numbers
    assert (numbers.baseline_value, numbers.latest_value, numbers.absolute_change) == (
        Decimal(32),
        Decimal(19),
        Decimal(-13),
    )
    assert (numbers.percent_change, numbers.progress_percent, numbers.weeks_measured) == (Decimal("-40.6"), 54, 5)
    assert "down 13 hours/week (40.6%)" in post.body
    assert "54% of the way to the target of 8 hours/week" in post.body
    assert post.body.index("14 March 2025: Nightly build") < post.body.index("25 March 2025: Matched")
    assert post.quote == "Done by 9:30 on Mondays now."  # the positive answer, never the complaint
    assert "Exports still take" not in post.body


def test_proof_stores_the_ids_it_was_built_from(db_session: Session, setup: tuple[Actor, Client, Contact]) -> None:
    actor, client, contact = setup
    measured(db_session, actor, client, contact)
    post = generate_proof(db_session=db_session, actor=actor, client_id=client.id, as_of=AS_OF)
    stored = db_session.get(ProofPost, post.id)
    assert stored is not None
    assert (stored.body, stored.case_study_bullets, stored.proposal_snippet) == (
        post.body,
        post.case_study_bullets,
        post.proposal_snippet,
    )

    def ids(model: Any) -> list[int]:
        return sorted(db_session.scalars(select(model.id).where(model.client_id == client.id)))

    assert stored.source_ids == post.source_ids
    assert post.source_ids["result_target"] == ids(ResultTarget)
    assert post.source_ids["baseline_snapshot"] == ids(BaselineSnapshot)
    assert post.source_ids["outcome_entries"] == ids(OutcomeEntry)
    assert sorted(post.source_ids["interventions"]) == ids(Intervention)
    positive = db_session.scalar(select(ClientFeedback.id).where(ClientFeedback.sentiment == "positive"))
    assert post.source_ids["client_feedback"] == [positive]
    again = generate_proof(db_session=db_session, actor=actor, client_id=client.id, as_of=AS_OF)
    assert again.id == post.id  # same data, same post: a retry writes nothing
    assert db_session.scalar(select(func.count()).select_from(ProofPost)) == 1


def test_no_proof_without_baseline_or_outcomes(db_session: Session, setup: tuple[Actor, Client, Contact]) -> None:
    actor, client, _ = setup
    with pytest.raises(ValidationError, match="no result target"):
        generate_proof(db_session=db_session, actor=actor, client_id=client.id, as_of=AS_OF)
    set_result_target(
        db_session=db_session,
        actor=actor,
        client_id=client.id,
        current_state="slow",
        target_state="fast",
        metric="hours",
        unit="hours",
        direction=MetricDirection.LOWER_IS_BETTER,
        current_value=10,
        target_value=5,
        target_date=dt.date(2025, 6, 1),
        start_date=START,
        as_of=AS_OF,
    )
    add_outcome_entry(
        db_session=db_session,
        actor=actor,
        client_id=client.id,
        value=9,
        unit="hours",
        week_start=dt.date(2025, 4, 7),
        as_of=AS_OF,
    )
    with pytest.raises(ValidationError, match="there is no baseline"):
        generate_proof(db_session=db_session, actor=actor, client_id=client.id, as_of=AS_OF)
    record_baseline(db_session=db_session, actor=actor, client_id=client.id, captured_on=START, as_of=AS_OF, value=10)
    with pytest.raises(ValidationError, match="no outcome has been measured"):
        generate_proof(db_session=db_session, actor=actor, client_id=client.id, as_of=dt.date(2025, 4, 6))
    assert db_session.scalar(select(func.count()).select_from(ProofPost)) == 0


def test_proof_without_feedback_has_no_quote(db_session: Session, setup: tuple[Actor, Client, Contact]) -> None:
    actor, client, _ = setup
    set_result_target(
        db_session=db_session,
        actor=actor,
        client_id=client.id,
        current_state="few",
        target_state="many",
        metric="orders shipped",
        unit="orders/day",
        direction=MetricDirection.HIGHER_IS_BETTER,
        current_value=100,
        target_value=150,
        target_date=dt.date(2025, 6, 1),
        start_date=START,
        as_of=AS_OF,
    )
    record_baseline(db_session=db_session, actor=actor, client_id=client.id, captured_on=START, as_of=AS_OF, value=100)
    add_outcome_entry(
        db_session=db_session,
        actor=actor,
        client_id=client.id,
        value="0.16",
        unit="k orders/day",
        week_start=dt.date(2025, 4, 7),
        as_of=AS_OF,
    )
    post = generate_proof(db_session=db_session, actor=actor, client_id=client.id, as_of=AS_OF)
    assert post.quote is None
    assert post.source_ids["client_feedback"] == []
    assert "up 60 orders/day (60%)" in post.body
    assert "the target of 150 orders/day is met" in post.body
    assert_grounded(db_session, client.id, post.body + "\n".join(post.case_study_bullets) + post.proposal_snippet)


DEMO_AS_OF = dt.date(2026, 11, 22)


def test_proof_from_the_demo_engagements(db_session: Session) -> None:
    generate_demo(db_session=db_session, as_of=DEMO_AS_OF, seed=7, clients=12)
    consultant = actor_for_email(db_session, "consultant@demo.csagent.dev")
    for name in ("Northwind Logistics", "BusinessPoint Law"):
        client = db_session.scalar(select(Client).where(Client.name == name))
        assert client is not None
        post = generate_proof(db_session=db_session, actor=consultant, client_id=client.id, as_of=DEMO_AS_OF)
        assert post.quote is not None
        assert post.numbers.weeks_measured >= 5
        for text in (post.title, post.body, *post.case_study_bullets, post.proposal_snippet):
            assert_grounded(db_session, client.id, text)
    approved = db_session.scalar(
        select(Client).where(
            Client.workspace_id == consultant.workspace_id, Client.lifecycle_status == LifecycleStatus.APPROVED
        )
    )
    assert approved is not None
    with pytest.raises(ValidationError, match="no baseline"):
        generate_proof(db_session=db_session, actor=consultant, client_id=approved.id, as_of=DEMO_AS_OF)
