"""Every table that contributes to a client's timeline, each read with one query per call."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass

from sqlalchemy.orm import Session

from domain.timeline.schemas import TimelineEntry
from domain.timeline.schemas import TimelineKind as K
from domain.timeline.sources.base import SourceScope
from domain.timeline.sources.health import alert_entries, health_change_entries
from domain.timeline.sources.operations import deliverable_entries, invoice_entries, milestone_entries, payment_entries
from domain.timeline.sources.relationship import activity_entries, interaction_entries, note_entries, survey_entries
from domain.timeline.sources.success import (
    baseline_entries,
    feedback_entries,
    intervention_entries,
    outcome_entries,
    proof_entries,
    risk_entries,
    target_entries,
)
from domain.timeline.sources.support import ticket_entries

Loader = Callable[[Session, SourceScope], Iterator[TimelineEntry]]


@dataclass(frozen=True, slots=True)
class Source:
    kinds: frozenset[K]  # every kind the loader can produce, so a kinds filter can skip the query
    load: Loader


def _source(load: Loader, *kinds: K) -> Source:
    return Source(frozenset(kinds), load)


SOURCES = (
    _source(activity_entries, K.ACTIVITY),
    _source(note_entries, K.NOTE),
    _source(interaction_entries, K.INTERACTION),
    _source(survey_entries, K.SURVEY),
    _source(ticket_entries, K.TICKET_OPENED, K.TICKET_CLOSED),
    _source(alert_entries, K.ALERT_RAISED, K.ALERT_ACKNOWLEDGED, K.ALERT_DISMISSED, K.ALERT_RESOLVED),
    _source(health_change_entries, K.HEALTH_CHANGE),
    _source(intervention_entries, K.INTERVENTION),
    _source(outcome_entries, K.OUTCOME),
    _source(risk_entries, K.RISK_RAISED, K.RISK_RESOLVED),
    _source(feedback_entries, K.FEEDBACK),
    _source(target_entries, K.TARGET_SET),
    _source(baseline_entries, K.BASELINE),
    _source(proof_entries, K.PROOF_POST),
    _source(deliverable_entries, K.DELIVERABLE_CREATED, K.DELIVERABLE_COMPLETED, K.DELIVERABLE_BLOCKED),
    _source(payment_entries, K.PAYMENT_DUE, K.PAYMENT_PAID),
    _source(milestone_entries, K.MILESTONE),
    _source(invoice_entries, K.INVOICE_ISSUED, K.INVOICE_PAID, K.INVOICE_OVERDUE),
)


def load_entries(session: Session, scope: SourceScope, kinds: Collection[K] | None = None) -> Iterator[TimelineEntry]:
    """Entries of every source in scope (sources producing none of `kinds` are not queried); unordered."""
    for source in SOURCES:
        if kinds is None or not source.kinds.isdisjoint(kinds):
            yield from source.load(session, scope)


__all__ = ["SOURCES", "Source", "SourceScope", "load_entries"]
