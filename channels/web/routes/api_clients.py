"""Seed 004 client endpoints: the paginated client list, a client's overview, and its labels."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from channels.web.api_deps import AsOfDep, ClientId, NowDep
from channels.web.deps import ActorDep, SessionDep
from channels.web.pagination import Page, PageDep
from channels.web.schemas.errors import ERRORS
from domain.clients.overview import ClientOverview, client_overview
from domain.clients.page import ClientFilters, ClientRow, SortKey, list_clients_page
from domain.clients.update import ClientChanges, update_client
from domain.enums import ContractTier, HealthStatus, HealthTrend, LifecycleStatus

router = APIRouter(prefix="/api/v1/client-success", tags=["clients"], responses=ERRORS)


@router.get("/clients", response_model=Page[ClientRow], summary="List clients (filterable, paginated)")
def list_clients(
    session: SessionDep,
    actor: ActorDep,
    as_of: AsOfDep,
    paging: PageDep,
    health_status: HealthStatus | None = None,
    health_trend: HealthTrend | None = None,
    tier: ContractTier | None = None,
    lifecycle_status: LifecycleStatus | None = None,
    csm_id: Annotated[int | None, Query(ge=1, le=2**31 - 1, description="Only this CSM's clients")] = None,
    industry: Annotated[str | None, Query(max_length=100)] = None,
    segment: Annotated[str | None, Query(max_length=100)] = None,
    search: Annotated[str | None, Query(max_length=200, description="Part of the client's name")] = None,
    renewal_within_days: Annotated[int | None, Query(ge=0, le=730)] = None,
    sort: SortKey = "health_score",
    order: Literal["asc", "desc"] = "asc",
) -> Page[ClientRow]:
    """The clients the caller may see, worst health first by default; unscored clients sort last."""
    filters = ClientFilters(
        health_status=health_status,
        health_trend=health_trend,
        tier=tier,
        lifecycle_status=lifecycle_status,
        csm_user_id=csm_id,
        industry=industry,
        segment=segment,
        search=search,
        renewal_within_days=renewal_within_days,
    )
    found = list_clients_page(
        db_session=session,
        actor=actor,
        as_of=as_of,
        filters=filters,
        sort=sort,
        descending=order == "desc",
        page=paging.page,
        limit=paging.limit,
    )
    return paging.envelope(found.rows, found.total)


@router.get("/clients/{client_id}", response_model=ClientOverview, summary="Get client details")
def get_client(
    client_id: ClientId, session: SessionDep, actor: ActorDep, as_of: AsOfDep, now: NowDep
) -> ClientOverview:
    """Health and its 90-day trend, churn, open alerts, recent activities, key contacts, outcomes, engagement."""
    return client_overview(db_session=session, actor=actor, client_id=client_id, as_of=as_of, now=now)


@router.put("/clients/{client_id}", response_model=ClientRow, summary="Update client (tags, segment)")
def put_client(
    client_id: ClientId, changes: ClientChanges, session: SessionDep, actor: ActorDep, as_of: AsOfDep
) -> ClientRow:
    return update_client(db_session=session, actor=actor, client_id=client_id, changes=changes, as_of=as_of)
