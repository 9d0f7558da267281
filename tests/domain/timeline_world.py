"""A small world for timeline tests: two CSMs, a VP and an outsider, and one row of every source for Acme."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain.access import Actor
from domain.clients.models import Client
from domain.enums import (
    ActivityOutcome,
    ActivityType,
    AlertStatus,
    DeliverableStatus,
    HealthStatus,
    InvoiceStatus,
    PaymentStatus,
    RiskStatus,
    Role,
    SurveyKind,
    TicketSeverity,
    TicketStatus,
)
from domain.staff.models import User, Workspace
from tests.factories import Factory

T = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)


def ago(days: int, hours: int = 0) -> dt.datetime:
    return T - dt.timedelta(days=days, hours=hours)


@dataclass
class World:
    workspace: Workspace
    csm: User
    other_csm: User
    vp: User
    outsider: User  # another tenant's VP
    client: Client
    other_client: Client
    foreign_client: Client


def build_world(factory: Factory) -> World:
    workspace, elsewhere = factory.workspace(), factory.workspace()
    csm, other = factory.user(workspace, Role.CSM), factory.user(workspace, Role.CSM)
    return World(
        workspace=workspace,
        csm=csm,
        other_csm=other,
        vp=factory.user(workspace, Role.VP_CLIENT_SUCCESS),
        outsider=factory.user(elsewhere, Role.VP_CLIENT_SUCCESS),
        client=factory.client(workspace, name="Acme Corp", csm_user_id=csm.id),
        other_client=factory.client(workspace, name="Beta Industries", csm_user_id=other.id),
        foreign_client=factory.client(elsewhere, name="Gamma LLC"),
    )


def actor(user: User) -> Actor:
    return Actor.from_user(user)


def build_history(factory: Factory, world: World) -> None:
    """One row of every source for Acme, each at its own time, and a little for the other clients."""
    _relationship(factory, world)
    _signals(factory, world)
    _health(factory, world)
    _success(factory, world)
    _operations(factory, world)
    factory.activity(world.other_client, world.other_csm, subject="Export review", occurred_at=ago(1))
    factory.support_ticket(world.foreign_client, subject="Export broken abroad", opened_at=ago(1))


def _relationship(factory: Factory, world: World) -> None:
    client, csm = world.client, world.csm
    factory.activity(
        client,
        csm,
        subject="Renewal check-in",
        description="Discussed the budget freeze",
        outcome=ActivityOutcome.RISK_IDENTIFIED,
        follow_up_date=T.date() + dt.timedelta(days=7),
        duration_minutes=30,
        occurred_at=ago(1),
    )
    factory.activity(client, csm, activity_type=ActivityType.EMAIL, subject="Recap sent", occurred_at=ago(1))
    factory.note(client, csm, title="Budget", content="Budget frozen until Q3", created_at=ago(2))
    factory.note(client, csm, content="Champion is interviewing elsewhere", is_private=True, created_at=ago(3))
    factory.note(client, world.vp, content="VP private thought on pricing", is_private=True, created_at=ago(3, 1))
    contact = factory.contact(client, name="Sarah Chen")
    factory.survey_response(
        client, kind=SurveyKind.NPS, score=3, comment="Exports are too slow", contact_id=contact.id, responded_at=ago(9)
    )
    factory.support_interaction(client, notes="Walked through dashboards", performed_by_id=csm.id, occurred_at=ago(13))


def _signals(factory: Factory, world: World) -> None:
    client = world.client
    factory.support_ticket(
        client,
        subject="Export fails",
        description="CSV export returns a server error",
        severity=TicketSeverity.HIGH,
        status=TicketStatus.SOLVED,
        opened_at=ago(10),
        closed_at=ago(8),
        csat=4,
    )
    factory.support_ticket(client, subject="Login outage", severity=TicketSeverity.URGENT, opened_at=ago(5))
    factory.alert(
        client,
        created_at=ago(7),
        acknowledged_at=ago(6),
        acknowledged_by_id=world.csm.id,
        status=AlertStatus.RESOLVED,
        resolved_at=ago(4),
        resolution_notes="Usage recovered",
    )
    factory.alert(
        client,
        subject_key="renewal-60",
        created_at=ago(12),
        status=AlertStatus.DISMISSED,
        dismissed_at=ago(11),
        dismissed_by_id=world.vp.id,
    )


def _health(factory: Factory, world: World) -> None:
    config = factory.score_config(world.workspace)
    days = [(20, 80, HealthStatus.HEALTHY), (19, 78, HealthStatus.HEALTHY), (18, 60, HealthStatus.AT_RISK)]
    days += [(17, 58, HealthStatus.AT_RISK), (16, 75, HealthStatus.HEALTHY)]
    for days_ago, score, status in days:
        factory.health_snapshot(world.client, config, day=ago(days_ago).date(), overall_score=score, status=status)
    for days_ago, status in [(20, HealthStatus.HEALTHY), (19, HealthStatus.CRITICAL)]:  # another model: ignored
        factory.health_snapshot(
            world.client, config, day=ago(days_ago).date(), model_key="success", overall_score=50, status=status
        )


def _success(factory: Factory, world: World) -> None:
    client, csm_id = world.client, world.csm.id
    factory.intervention(client, title="Automated the weekly report", occurred_on=ago(14).date(), created_by_id=csm_id)
    factory.outcome_entry(client, week_start=ago(15).date(), notes="Two hours saved")
    factory.risk(
        client,
        description="Champion on leave",
        raised_on=ago(21).date(),
        status=RiskStatus.RESOLVED,
        resolved_at=ago(19),
        resolution="New champion named",
    )
    factory.client_feedback(client, response="Approvals still feel slow", received_on=ago(22).date())
    factory.result_target(client, created_at=ago(23), start_date=ago(23).date())
    factory.baseline(client, captured_on=ago(24).date())
    factory.proof_post(client, created_at=ago(25))


def _operations(factory: Factory, world: World) -> None:
    client = world.client
    contact = factory.contact(client, name="Mike Johnson")
    factory.deliverable(
        contact,
        title="Reporting playbook",
        status=DeliverableStatus.COMPLETED,
        created_at=ago(26),
        completed_at=ago(23, 2),
    )
    factory.deliverable(
        contact,
        title="SSO setup",
        status=DeliverableStatus.BLOCKED,
        notes="Waiting on SSO access",
        created_at=ago(27),
        updated_at=ago(26, 3),
    )
    proposal = factory.proposal(client)
    factory.payment(proposal, due_date=ago(28).date(), status=PaymentStatus.PAID, paid_at=ago(27, 5))
    factory.milestone(client, achieved_at=ago(29))
    invoice = {"issued_on": ago(40).date(), "due_date": ago(35).date(), "paid_on": ago(30).date()}
    factory.invoice(client, **invoice, status=InvoiceStatus.PAID)
