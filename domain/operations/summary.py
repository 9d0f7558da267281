"""A proposal summarised for people and prompts; with a result target it reads as an outcome contract (seed 000).

Seed 000: "Proposals that have a result target are framed as outcome contracts" - current -> target on a
metric by a date. The target is the client's active one at the time of the call.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.clients.models import Client
from domain.operations.models import Proposal
from domain.operations.schemas import OutcomeContract, ProposalSummary
from domain.operations.scope import visible_proposal
from domain.success.models import ResultTarget
from domain.success.rules import plain_number


def outcome_contract_line(contract: OutcomeContract) -> str:
    """The contract in one line: metric from current to target by a date, then the two states in words."""
    return (
        f"Outcome contract: {contract.metric} from {plain_number(contract.current_value)} to "
        f"{plain_number(contract.target_value)} {contract.unit} by {contract.target_date.isoformat()}. "
        f"Now: {contract.current_state.rstrip('.')}. Target: {contract.target_state.rstrip('.')}."
    )


def plain_line(proposal: Proposal, client: Client) -> str:
    purpose = f": {proposal.purpose}" if proposal.purpose else ""
    return f"Proposal for {client.name} ({proposal.status.value}){purpose}"


def proposal_summary(
    *, db_session: Session, actor: Actor, proposal_id: int, as_of: dt.date | None = None
) -> ProposalSummary:
    """Summarise a proposal, framed as an outcome contract when its client has an active result target."""
    proposal, client = visible_proposal(db_session, actor, proposal_id)
    target = db_session.scalar(
        select(ResultTarget).where(ResultTarget.client_id == client.id, ResultTarget.is_active.is_(True))
    )
    contract = _contract(target) if target is not None else None
    schedule = proposal.payment_schedule or []
    return ProposalSummary(
        proposal_id=proposal.id,
        client_id=client.id,
        client_name=client.name,
        as_of=as_of,
        title=proposal.title,
        purpose=proposal.purpose,
        status=proposal.status,
        is_outcome_contract=contract is not None,
        outcome_contract=contract,
        framing=outcome_contract_line(contract) if contract else plain_line(proposal, client),
        phases=[str(phase.get("name", "")) for phase in proposal.phases or []],
        milestones=[f"{m.get('name')} (due {m.get('due_date')})" for m in proposal.milestones or []],
        payment_total=sum((Decimal(str(line["amount"])) for line in schedule), Decimal(0)),
        source_ids={"proposals": [proposal.id], "result_targets": [target.id] if target else []},
    )


def _contract(target: ResultTarget) -> OutcomeContract:
    return OutcomeContract(
        target_id=target.id,
        metric=target.metric,
        unit=target.unit,
        direction=target.direction,
        current_state=target.current_state,
        target_state=target.target_state,
        current_value=target.current_value,
        target_value=target.target_value,
        start_date=target.start_date,
        target_date=target.target_date,
    )
