"""Find a client from what a person typed: an id, an exact name, or a near miss (fuzzy, within scope)."""

from __future__ import annotations

from rapidfuzz import fuzz, process, utils
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.access import Actor, get_visible_client, visible_clients_clause
from domain.clients.models import Client
from domain.clients.names import name_words, typed_forms
from domain.errors import AccessDeniedError, NotFoundError, ValidationError

MATCH_CUTOFF = 80  # WRatio score a near miss needs to be taken without asking
SUGGEST_CUTOFF = 55


def find_client(db_session: Session, actor: Actor, query: str) -> Client:
    """Resolve `query` to one client the actor may see.

    Raises NotFoundError with close matches from the actor's own portfolio, ValidationError when several
    clients match equally well (the caller asks which), AccessDeniedError for a same-tenant client outside
    the portfolio. Another tenant's clients are never matched.
    """
    text = query.strip()
    if not text:
        raise ValidationError("which client? give a client name or id")
    if text.isdigit():
        return get_visible_client(db_session, actor, int(text))
    exact = db_session.scalars(
        select(Client).where(Client.workspace_id == actor.workspace_id, func.lower(Client.name) == text.lower())
    ).first()
    if exact is not None:
        return get_visible_client(db_session, actor, exact.id)
    return _fuzzy(db_session, actor, text)


def _fuzzy(db_session: Session, actor: Actor, text: str) -> Client:
    visible = {
        row.id: row.name
        for row in db_session.execute(select(Client.id, Client.name).where(visible_clients_clause(actor)))
    }
    matches = process.extract(text, visible, scorer=fuzz.WRatio, processor=utils.default_process, limit=5)
    good = [(name, score, client_id) for name, score, client_id in matches if score >= MATCH_CUTOFF]
    if good:
        best = good[0][1]
        tied = [name for name, score, _ in good if best - score < 3]
        if len(tied) > 1:
            raise ValidationError(f"{text!r} matches several clients: {', '.join(sorted(tied))}. Which one?")
        return get_visible_client(db_session, actor, good[0][2])
    _refuse_outside_portfolio(db_session, actor, text)
    suggestions = [name for name, score, _ in matches if score >= SUGGEST_CUTOFF][:3]
    hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
    raise NotFoundError(f"no client called {text!r} in your portfolio{hint}")


def _refuse_outside_portfolio(db_session: Session, actor: Actor, text: str) -> None:
    """A close match in the same tenant but outside the portfolio is refused as such, never shown."""
    rows = db_session.execute(select(Client.id, Client.name).where(Client.workspace_id == actor.workspace_id))
    others = {row.id: row.name for row in rows}
    typed = " ".join(name_words(text))
    if any(typed in typed_forms(name) for name in others.values()):
        raise AccessDeniedError(f"{text!r} is not in your portfolio")
    match = process.extractOne(text, others, scorer=fuzz.ratio, processor=utils.default_process)
    if match is not None and match[1] >= 90:
        # Echo what they typed, not the stored name: the name itself is outside their scope.
        raise AccessDeniedError(f"{text!r} is not in your portfolio")
