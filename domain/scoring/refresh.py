"""Recompute one client's score for a day on request (seed 004 "force recalculation", seed 001 POST)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from domain.access import Actor, get_visible_client
from domain.scoring.drivers import get_score
from domain.scoring.recompute import recompute_scores
from domain.scoring.schemas import ScoreView


def refresh_score(
    *, db_session: Session, actor: Actor, client_id: int, as_of: dt.date, model_key: str = "health"
) -> ScoreView:
    """Rewrite the client's `model_key` snapshot for `as_of` from current data (re-running replaces it)."""
    client = get_visible_client(db_session, actor, client_id)
    recompute_scores(
        db_session=db_session,
        workspace_id=client.workspace_id,
        start=as_of,
        model_key=model_key,
        client_ids=[client.id],
    )
    return get_score(db_session=db_session, actor=actor, client_id=client.id, as_of=as_of, model_key=model_key)
