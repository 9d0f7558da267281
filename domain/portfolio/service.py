"""The portfolio as CSMs and VPs look at it (seed 004 F1, US-015-001/003): summary, at-risk list, renewals.

Scoped by the Actor: a CSM sees their own clients and may not filter to another CSM (AccessDeniedError);
whole-tenant roles see the tenant and may filter to one CSM. Prospects and churned clients are left out.
Where the numbers come from is in domain/portfolio/facts.py, the formulas in domain/portfolio/rules.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy.orm import Session

from domain.access import Actor
from domain.activities.rules import as_choice
from domain.enums import HealthStatus
from domain.errors import ValidationError
from domain.portfolio import rules
from domain.portfolio.facts import ClientFacts, check_csm_filter, load_facts, portfolio_scope
from domain.portfolio.schemas import (
    AtRiskClient,
    AtRiskList,
    PortfolioSummary,
    RenewalBucketTotal,
    RenewalItem,
    RenewalList,
)
from domain.portfolio.tally import arr_of, breakdown, csm_key, distribution, tally

MAX_DAYS = 365
MAX_LIMIT = 200
MAX_RENEWAL_DAYS = 730


def portfolio_summary(
    *, db_session: Session, actor: Actor, as_of: dt.date, csm_user_id: int | None = None, compare_days: int = 30
) -> PortfolioSummary:
    """Summarise the portfolio: totals, ARR at risk, status distribution, breakdowns, change since compare_days ago."""
    _check_range("compare_days", compare_days, 1, MAX_DAYS)
    check_csm_filter(db_session, actor, csm_user_id)
    previous_day = as_of - dt.timedelta(days=compare_days)
    facts = load_facts(db_session, where=portfolio_scope(actor, csm_user_id), as_of=as_of, then=previous_day)
    now = tally(facts)
    average_then = rules.average([fact.then.value for fact in facts if fact.then])
    at_risk_then = sum(1 for fact in facts if fact.then is not None and rules.is_at_risk(fact.then.status))
    snapshots = {fact.snapshot_id for fact in facts} | {fact.then.snapshot_id for fact in facts if fact.then}
    return PortfolioSummary(
        as_of=as_of,
        csm_user_id=csm_user_id,
        total_clients=now.clients,
        scored_clients=len(now.healths),
        at_risk_count=now.at_risk,
        average_health=now.average_health,
        total_arr=now.arr,
        arr_at_risk=now.arr_at_risk,
        arr_at_risk_share=rules.share(now.arr_at_risk, now.arr),
        distribution=distribution(facts),
        by_tier=breakdown(facts, lambda fact: (fact.tier.value, fact.tier.value.title())),
        by_industry=breakdown(facts, lambda fact: (fact.industry, fact.industry)),
        by_csm=breakdown(facts, csm_key),
        by_region=breakdown(facts, lambda fact: (fact.region or "none", fact.region or "Unknown")),
        previous_day=previous_day,
        previous_average_health=average_then,
        average_health_change=rules.change(now.average_health, average_then),
        previous_at_risk_count=at_risk_then,
        at_risk_change=now.at_risk - at_risk_then,
        client_ids=[fact.client_id for fact in facts],
        snapshot_ids=sorted(snapshot for snapshot in snapshots if snapshot is not None),
    )


def list_at_risk_clients(
    *,
    db_session: Session,
    actor: Actor,
    as_of: dt.date,
    statuses: Sequence[HealthStatus] = rules.AT_RISK_STATUSES,
    min_drop: float | None = None,
    days: int = 30,
    renewal_within_days: int | None = None,
    csm_user_id: int | None = None,
    limit: int = 20,
) -> AtRiskList:
    """List clients needing attention, most urgent first (risk x ARR x renewal proximity).

    By health status (AT_RISK and CRITICAL unless told otherwise); with `min_drop`, instead the clients whose
    health fell by at least that many points over the last `days` days, whatever their status.
    """
    _check_range("days", days, 1, MAX_DAYS)
    _check_range("limit", limit, 1, MAX_LIMIT)
    if renewal_within_days is not None:
        _check_range("renewal_within_days", renewal_within_days, 0, MAX_RENEWAL_DAYS)
    if min_drop is not None and min_drop < 0:
        raise ValidationError("min_drop is a number of points the health fell by, 0 or more")
    check_csm_filter(db_session, actor, csm_user_id)
    facts = load_facts(
        db_session, where=portfolio_scope(actor, csm_user_id), as_of=as_of, then=as_of - dt.timedelta(days=days)
    )
    wanted = [as_choice(HealthStatus, status, "health status") for status in statuses]
    rows = [_at_risk_row(fact, as_of) for fact in facts]
    matching = [row for row in rows if _matches(row, wanted, min_drop, renewal_within_days)]
    matching.sort(key=lambda row: (-row.urgency, row.name, row.client_id))
    shown = matching[:limit]
    return AtRiskList(
        as_of=as_of,
        days=days,
        statuses=wanted,
        min_drop=min_drop,
        renewal_within_days=renewal_within_days,
        csm_user_id=csm_user_id,
        total_matching=len(matching),
        clients=shown,
        client_ids=[row.client_id for row in shown],
    )


def _at_risk_row(fact: ClientFacts, as_of: dt.date) -> AtRiskClient:
    days_to_renewal = fact.days_to_renewal(as_of)
    then = fact.then.value if fact.then else None
    return AtRiskClient(
        client_id=fact.client_id,
        name=fact.name,
        health_score=fact.health,
        health_score_then=then,
        drop=None if then is None or fact.health is None else round(then - fact.health, 1),
        health_status=fact.status,
        health_trend=fact.trend,
        annual_recurring_revenue=fact.arr,
        next_renewal_date=fact.next_renewal_date,
        days_to_renewal=days_to_renewal,
        churn_probability=fact.churn_probability,
        csm_user_id=fact.csm_user_id,
        csm_name=fact.csm_name,
        risk=round(rules.risk_of(fact.health, fact.churn_probability), 4),
        urgency=rules.urgency(
            health=fact.health, churn_probability=fact.churn_probability, arr=fact.arr, days_to_renewal=days_to_renewal
        ),
        snapshot_id=fact.snapshot_id,
        snapshot_then_id=fact.then.snapshot_id if fact.then else None,
        prediction_id=fact.prediction_id,
    )


def _matches(
    row: AtRiskClient, statuses: list[HealthStatus], min_drop: float | None, renewal_within_days: int | None
) -> bool:
    if min_drop is not None:
        if row.drop is None or row.drop < min_drop:
            return False
    elif row.health_status not in statuses:
        return False
    if renewal_within_days is None:
        return True
    return row.days_to_renewal is not None and 0 <= row.days_to_renewal <= renewal_within_days


def list_renewals(
    *, db_session: Session, actor: Actor, as_of: dt.date, within_days: int = 90, csm_user_id: int | None = None
) -> RenewalList:
    """List renewals due from as_of to `within_days` after it, soonest first, in 30/60/90-day buckets."""
    _check_range("within_days", within_days, 0, MAX_RENEWAL_DAYS)
    check_csm_filter(db_session, actor, csm_user_id)
    facts = load_facts(db_session, where=portfolio_scope(actor, csm_user_id), as_of=as_of)
    renewing = [
        fact for fact in facts if (days := fact.days_to_renewal(as_of)) is not None and 0 <= days <= within_days
    ]
    renewing.sort(key=lambda fact: (fact.next_renewal_date, fact.name, fact.client_id))
    items = [_renewal_item(fact, as_of) for fact in renewing]
    last_bucket = rules.RENEWAL_BUCKETS.index(rules.renewal_bucket(within_days))
    buckets = [
        RenewalBucketTotal(
            bucket=bucket,
            clients=sum(1 for item in items if item.bucket == bucket),
            arr=sum(
                (item.annual_recurring_revenue or Decimal(0) for item in items if item.bucket == bucket), Decimal(0)
            ),
            at_risk=sum(1 for item in items if item.bucket == bucket and rules.is_at_risk(item.health_status)),
        )
        for bucket in rules.RENEWAL_BUCKETS[: last_bucket + 1]
    ]
    return RenewalList(
        as_of=as_of,
        within_days=within_days,
        renewals=items,
        buckets=buckets,
        total_arr=arr_of(renewing),
        arr_at_risk=arr_of(fact for fact in renewing if rules.is_at_risk(fact.status)),
        client_ids=[item.client_id for item in items],
    )


def _renewal_item(fact: ClientFacts, as_of: dt.date) -> RenewalItem:
    assert fact.next_renewal_date is not None  # only renewing clients get here
    days_to_renewal = (fact.next_renewal_date - as_of).days
    return RenewalItem(
        client_id=fact.client_id,
        name=fact.name,
        next_renewal_date=fact.next_renewal_date,
        days_to_renewal=days_to_renewal,
        bucket=rules.renewal_bucket(days_to_renewal),
        health_score=fact.health,
        health_status=fact.status,
        health_trend=fact.trend,
        annual_recurring_revenue=fact.arr,
        churn_probability=fact.churn_probability,
        churn_risk_score=fact.churn_risk_score,
        contract_tier=fact.tier,
        csm_user_id=fact.csm_user_id,
        csm_name=fact.csm_name,
        prediction_id=fact.prediction_id,
    )


def _check_range(name: str, value: int, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(f"{name} must be a whole number from {low} to {high}, got {value!r}")
