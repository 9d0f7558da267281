"""Seed 000's "generate proof from outcomes": a proof post built only from measured, stored data.

No baseline or no scorecard entry means nothing was measured, so there is no proof to write: the
service refuses and says which is missing. The post stores the ids of every row it used.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.clients.models import Client
from domain.errors import ValidationError
from domain.success import rules
from domain.success.gate import audit, require_active_target, success_client
from domain.success.models import ClientFeedback, Intervention, ProofPost, ResultTarget
from domain.success.proof_text import ProofFacts, ProofText, build_proof_text
from domain.success.reads import Measured, load_feedback, load_interventions, load_measured
from domain.success.schemas import ProofNumbers, ProofPostView

QUOTABLE = ("positive", None, "neutral")  # in order of preference; a complaint is never quoted as proof


def generate_proof(*, db_session: Session, actor: Actor, client_id: int, as_of: dt.date) -> ProofPostView:
    """Write a proof post from the baseline, interventions, scorecard and feedback, and store it."""
    client = success_client(db_session, actor, client_id)
    target = require_active_target(db_session, client)
    measured = load_measured(db_session, target, as_of)
    _require_measurements(client, target, measured)
    interventions = load_interventions(db_session, client.id, as_of)
    quote = _quote(load_feedback(db_session, client.id, as_of))
    numbers = _numbers(target, measured)
    facts = _facts(client, target, numbers, interventions, quote)
    assert measured.baseline is not None
    source_ids = {
        "result_target": [target.id],
        "baseline_snapshot": [measured.baseline.id],
        "outcome_entries": [row.id for row, _ in measured.entries],
        "interventions": [row.id for row in interventions],
        "client_feedback": [quote[0].id] if quote else [],
    }
    post = _store(db_session, actor, client, build_proof_text(facts), source_ids)
    return ProofPostView(
        id=post.id,
        client_id=client.id,
        client_name=client.name,
        as_of=as_of,
        title=post.title,
        body=post.body,
        case_study_bullets=list(post.case_study_bullets),
        proposal_snippet=post.proposal_snippet or "",
        quote=facts.quote,
        numbers=numbers,
        source_ids=source_ids,
    )


def _facts(
    client: Client,
    target: ResultTarget,
    numbers: ProofNumbers,
    interventions: list[Intervention],
    quote: tuple[ClientFeedback, str | None] | None,
) -> ProofFacts:
    return ProofFacts(
        client_name=client.name,
        metric=target.metric,
        unit=target.unit,
        baseline_value=numbers.baseline_value,
        baseline_date=numbers.baseline_date,
        latest_value=numbers.latest_value,
        latest_week=numbers.latest_week,
        target_value=numbers.target_value,
        target_date=numbers.target_date,
        change=rules.change_between(numbers.baseline_value, numbers.latest_value),
        progress_percent=numbers.progress_percent,
        achieved=rules.meets_target(target.direction, numbers.latest_value, target.target_value),
        weeks_measured=numbers.weeks_measured,
        interventions=tuple((row.occurred_on, row.kind.value.replace("_", " "), row.title) for row in interventions),
        quote=quote[0].response if quote else None,
        quote_by=quote[1] if quote else None,
    )


def _require_measurements(client: Client, target: ResultTarget, measured: Measured) -> None:
    if measured.baseline is None:
        raise ValidationError(
            f"no proof for {client.name} yet: there is no baseline of {target.metric!r}; "
            "record the baseline (the value before delivery) first"
        )
    if not measured.entries:
        raise ValidationError(
            f"no proof for {client.name} yet: no outcome has been measured for {target.metric!r}; "
            "add a weekly scorecard entry first"
        )


def _numbers(target: ResultTarget, measured: Measured) -> ProofNumbers:
    assert measured.baseline is not None
    assert measured.baseline_value is not None
    latest_row, latest = measured.entries[-1]
    baseline = measured.baseline_value
    change = rules.change_between(baseline, latest)
    progress = rules.clamp(rules.raw_progress(target.direction, baseline, latest, target.target_value))
    return ProofNumbers(
        metric=target.metric,
        unit=target.unit,
        baseline_value=baseline,
        baseline_date=measured.baseline.captured_on,
        latest_value=latest,
        latest_week=latest_row.week_start,
        target_value=target.target_value,
        target_date=target.target_date,
        absolute_change=change.absolute,
        percent_change=change.percent,
        progress_percent=round(progress * 100),
        weeks_measured=len(measured.entries),
    )


def _quote(feedback: list[tuple[ClientFeedback, str | None]]) -> tuple[ClientFeedback, str | None] | None:
    """The newest feedback of the most favourable quotable sentiment (feedback comes newest first)."""
    for sentiment in QUOTABLE:
        for row, name in feedback:
            if row.sentiment == sentiment:
                return row, name
    return None


def _store(
    db_session: Session, actor: Actor, client: Client, text: ProofText, source_ids: dict[str, list[int]]
) -> ProofPost:
    """Store the post, unless the newest post already says exactly this from the same rows (a retry)."""
    latest = db_session.scalars(
        select(ProofPost).where(ProofPost.client_id == client.id).order_by(ProofPost.id.desc())
    ).first()
    if latest is not None and latest.body == text.body and latest.source_ids == source_ids:
        return latest
    post = ProofPost(
        client_id=client.id,
        title=text.title[:300],
        body=text.body,
        case_study_bullets=text.bullets,
        proposal_snippet=text.snippet,
        source_ids=source_ids,
        created_by_id=actor.user_id,
    )
    db_session.add(post)
    db_session.flush()
    audit(
        db_session,
        actor,
        action="create",
        entity_type="proof_post",
        entity_id=post.id,
        before=None,
        after={"title": post.title, "source_ids": source_ids},
    )
    return post
