"""Every read tool through the graph: a CSM-style question, the tool and arguments the offline planner picks, the
tool result checked against the database (queried independently), and the result's key numbers in the answer."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agent.reply import Reply, ToolCallRecord
from domain.activities.models import Activity, Note
from domain.alerts.models import Alert
from domain.churn.models import ChurnPrediction
from domain.clients.models import Client, Contact
from domain.enums import AlertStatus, ContactRole, HealthStatus, LifecycleStatus
from domain.operations.models import Deliverable, Payment, Proposal
from domain.portfolio.rules import urgency
from domain.scoring.models import HealthSnapshot, ScoreConfig
from domain.staff.models import User
from domain.success.models import BaselineSnapshot, ClientFeedback, Intervention, OutcomeEntry, ResultTarget

AS_OF = dt.date(2026, 11, 22)
JANE = "jane@demo.csagent.dev"
NOT_IN_PORTFOLIO = (LifecycleStatus.PROSPECT, LifecycleStatus.CHURNED)

Ask = Callable[..., Reply]


def only_call(reply: Reply, name: str) -> ToolCallRecord:
    """The turn made exactly one tool call, to `name`, and it succeeded."""
    assert [call.name for call in reply.tool_calls] == [name], reply.answer
    call = reply.tool_calls[0]
    assert call.status == "ok", call.error
    assert call.result is not None
    assert reply.pending_confirmation is None
    return call


def user_id(db: Session, email: str) -> int:
    return db.scalars(select(User.id).where(User.email == email)).one()


def client_named(db: Session, name: str) -> Client:
    return db.scalars(select(Client).where(Client.name == name)).one()


def portfolio_of(db: Session, email: str) -> list[Client]:
    """A CSM's current clients, straight from the clients table."""
    query = select(Client).where(
        Client.csm_user_id == user_id(db, email), Client.lifecycle_status.not_in(NOT_IN_PORTFOLIO)
    )
    return list(db.scalars(query))


def snapshot(db: Session, client_id: int, day: dt.date) -> HealthSnapshot:
    return db.scalars(
        select(HealthSnapshot).where(
            HealthSnapshot.client_id == client_id, HealthSnapshot.day == day, HealthSnapshot.model_key == "health"
        )
    ).one()


def latest_prediction(db: Session, client_id: int) -> ChurnPrediction:
    return db.scalars(
        select(ChurnPrediction)
        .where(ChurnPrediction.client_id == client_id, ChurnPrediction.day <= AS_OF)
        .order_by(ChurnPrediction.day.desc(), ChurnPrediction.id.desc())
    ).first()  # type: ignore[return-value]


def money_k(value: Decimal | float | str) -> str:
    """How the answers print ARR: $120K."""
    return f"${round(float(value) / 1000):,}K"


def test_list_at_risk_clients_is_the_at_risk_part_of_my_book_by_urgency(ask: Ask, db: Session) -> None:
    reply = ask("who is at risk?")
    call = only_call(reply, "list_at_risk_clients")
    assert call.args.get("days") == 30
    assert not {"csm", "min_drop", "renewal_within_days", "statuses"} & set(call.args)

    expected = {
        client.id: client
        for client in portfolio_of(db, JANE)
        if snapshot(db, client.id, AS_OF).status in (HealthStatus.AT_RISK, HealthStatus.CRITICAL)
    }
    listed = call.result["at_risk"]["clients"]
    assert {item["client_id"] for item in listed} == set(expected)
    assert call.result["at_risk"]["total_matching"] == len(expected)
    for item in listed:
        client = expected[item["client_id"]]
        now = snapshot(db, client.id, AS_OF)
        then = snapshot(db, client.id, AS_OF - dt.timedelta(days=30))
        prediction = latest_prediction(db, client.id)
        days_to_renewal = (client.next_renewal_date - AS_OF).days if client.next_renewal_date else None
        assert item["health_score"] == pytest.approx(now.overall_score, abs=0.05)
        assert item["health_score_then"] == pytest.approx(then.overall_score, abs=0.05)
        assert item["days_to_renewal"] == days_to_renewal
        assert item["churn_probability"] == pytest.approx(prediction.probability_90d)
        assert item["urgency"] == pytest.approx(
            urgency(
                health=now.overall_score,
                churn_probability=prediction.probability_90d,
                arr=client.annual_recurring_revenue,
                days_to_renewal=days_to_renewal,
            ),
            abs=0.02,
        )
        assert item["name"] in reply.answer
        assert f"{item['health_score']:.1f}" in reply.answer
    urgencies = [item["urgency"] for item in listed]
    assert urgencies == sorted(urgencies, reverse=True)
    # the answer lists them in the same (most urgent first) order
    positions = [reply.answer.index(f"**{item['name']}**") for item in listed]
    assert positions == sorted(positions)
    assert f"{len(expected)} clients at risk" in reply.answer


def test_explain_score_drivers_sums_to_the_change_between_stored_snapshots(ask: Ask, db: Session) -> None:
    reply = ask("why is acme dropping?")
    call = only_call(reply, "explain_score_drivers")
    assert call.args == {"client": "Acme Corp", "days": 30}

    acme = client_named(db, "Acme Corp")
    now = snapshot(db, acme.id, AS_OF)
    then = snapshot(db, acme.id, AS_OF - dt.timedelta(days=30))
    score, drivers = call.result["score"], call.result["drivers"]
    assert score["client_id"] == acme.id
    assert score["overall"] == pytest.approx(now.overall_score, abs=0.01)
    assert score["status"] == now.status.value
    assert score["snapshot_id"] == now.id
    assert drivers["score_before"] == pytest.approx(then.overall_score, abs=1e-6)
    assert drivers["score_after"] == pytest.approx(now.overall_score, abs=1e-6)
    change = now.overall_score - then.overall_score
    assert drivers["change"] == pytest.approx(change, abs=1e-6)
    assert sum(driver["contribution"] for driver in drivers["drivers"]) == pytest.approx(change, abs=1e-6)
    assert set(call.result["source_ids"]["health_snapshot"]) == {now.id, then.id}
    # each component's before/after score is the one stored in the snapshots
    for driver in drivers["drivers"]:
        name = driver["component"]
        assert driver["score_after"] == pytest.approx(now.components[name], abs=1e-6)
        assert driver["score_before"] == pytest.approx(then.components[name], abs=1e-6)

    assert f"{now.overall_score:.1f}" in reply.answer
    assert f"{then.overall_score:.1f}" in reply.answer
    assert f"{change:.1f}" in reply.answer
    biggest = max(drivers["drivers"], key=lambda driver: abs(driver["contribution"]))
    assert f"**{biggest['component']}** {biggest['contribution']:+.1f} pts" in reply.answer


def test_get_client_overview_matches_the_client_row_alerts_and_contacts(ask: Ask, db: Session) -> None:
    reply = ask("what's going on with acme")
    call = only_call(reply, "get_client_overview")
    assert call.args == {"client": "Acme Corp"}

    acme = client_named(db, "Acme Corp")
    overview = call.result["overview"]
    assert overview["client_id"] == acme.id
    assert Decimal(overview["annual_recurring_revenue"]) == acme.annual_recurring_revenue
    assert overview["health_score"] == acme.current_health_score
    assert overview["health_status"] == acme.health_status.value
    assert overview["next_renewal_date"] == acme.next_renewal_date.isoformat()
    assert overview["days_to_renewal"] == (acme.next_renewal_date - AS_OF).days
    assert overview["churn"]["probability_90d"] == pytest.approx(latest_prediction(db, acme.id).probability_90d)
    open_alerts = set(
        db.scalars(
            select(Alert.id).where(
                Alert.client_id == acme.id, Alert.status.in_([AlertStatus.NEW, AlertStatus.ACKNOWLEDGED])
            )
        )
    )
    assert {alert["id"] for alert in overview["open_alerts"]} == open_alerts
    contacts = {c.name for c in db.scalars(select(Contact).where(Contact.client_id == acme.id))}
    assert {contact["name"] for contact in overview["key_contacts"]} <= contacts
    assert all(activity["client_id"] == acme.id for activity in overview["recent_activities"])

    assert f"**{acme.current_health_score}**" in reply.answer
    assert money_k(acme.annual_recurring_revenue) in reply.answer
    assert f"in {overview['days_to_renewal']} days" in reply.answer
    assert f"{round(overview['churn']['probability_90d'] * 100)}%" in reply.answer


def test_search_timeline_finds_what_the_database_holds(ask: Ask, db: Session) -> None:
    reply = ask("did anyone at acme mention budget cuts")
    call = only_call(reply, "search_timeline")
    assert call.args["client"] == "Acme Corp"
    assert "budget" in call.args["query"]

    acme = client_named(db, "Acme Corp")
    hits = call.result["hits"]
    assert hits, reply.answer
    assert {hit["client_id"] for hit in hits} == {acme.id}
    # every note and activity of Acme's that mentions "budget" is found, and each hit is one of them
    notes = {
        f"note:{note.id}"
        for note in db.scalars(select(Note).where(Note.client_id == acme.id))
        if "budget" in f"{note.title or ''} {note.content}".lower()
    }
    activities = {
        f"activity:{activity.id}"
        for activity in db.scalars(select(Activity).where(Activity.client_id == acme.id))
        if "budget" in " ".join(filter(None, [activity.subject, activity.description, activity.outcome_notes])).lower()
    }
    found = {hit["entry_id"] for hit in hits if hit["kind"] in ("note", "activity")}
    assert notes | activities
    assert found == notes | activities
    assert f"Found {len(hits)} timeline entr" in reply.answer


def test_portfolio_summary_adds_up_my_clients(ask: Ask, db: Session) -> None:
    reply = ask("how's my portfolio")
    call = only_call(reply, "portfolio_summary")
    assert call.args == {}

    clients = portfolio_of(db, JANE)
    summary = call.result["portfolio"]
    assert set(summary["client_ids"]) == {client.id for client in clients}
    assert summary["total_clients"] == len(clients)
    assert Decimal(summary["total_arr"]) == sum(client.annual_recurring_revenue or 0 for client in clients)
    scores = {client.id: snapshot(db, client.id, AS_OF) for client in clients}
    at_risk = [c for c in clients if scores[c.id].status in (HealthStatus.AT_RISK, HealthStatus.CRITICAL)]
    assert summary["at_risk_count"] == len(at_risk)
    assert Decimal(summary["arr_at_risk"]) == sum(client.annual_recurring_revenue or 0 for client in at_risk)
    average = sum(s.overall_score for s in scores.values()) / len(scores)
    assert summary["average_health"] == pytest.approx(average, abs=0.05)
    counts = Counter(s.status.value for s in scores.values())
    assert {row["status"]: row["clients"] for row in summary["distribution"] if row["clients"]} == counts

    assert f"**{len(clients)} clients**" in reply.answer
    assert f"**{summary['average_health']:.1f}**" in reply.answer
    assert f"**{len(at_risk)} at risk**" in reply.answer
    assert f"{summary['arr_at_risk_share']}%" in reply.answer


def test_list_renewals_are_my_clients_renewing_in_90_days_soonest_first(ask: Ask, db: Session) -> None:
    reply = ask("upcoming renewals")
    call = only_call(reply, "list_renewals")
    assert call.args == {"within_days": 90}

    horizon = AS_OF + dt.timedelta(days=90)
    expected = sorted(
        (c for c in portfolio_of(db, JANE) if c.next_renewal_date and AS_OF <= c.next_renewal_date <= horizon),
        key=lambda c: c.next_renewal_date,  # type: ignore[arg-type, return-value]
    )
    renewals = call.result["renewals"]["renewals"]
    assert [item["client_id"] for item in renewals] == [client.id for client in expected]
    for item, client in zip(renewals, expected, strict=True):
        assert item["next_renewal_date"] == client.next_renewal_date.isoformat()  # type: ignore[union-attr]
        assert item["days_to_renewal"] == (client.next_renewal_date - AS_OF).days  # type: ignore[operator]
        assert f"**{client.name}**" in reply.answer
        assert f"in {item['days_to_renewal']} days" in reply.answer
    assert Decimal(call.result["renewals"]["total_arr"]) == sum(c.annual_recurring_revenue or 0 for c in expected)
    assert f"{len(expected)} renewals in the next 90 days" in reply.answer


def test_list_alerts_are_the_open_alerts_of_my_clients(ask: Ask, db: Session) -> None:
    reply = ask("show my alerts")
    call = only_call(reply, "list_alerts")
    assert call.args == {}

    mine = [client.id for client in db.scalars(select(Client).where(Client.csm_user_id == user_id(db, JANE)))]
    expected = set(
        db.scalars(
            select(Alert.id).where(
                Alert.client_id.in_(mine), Alert.status.in_([AlertStatus.NEW, AlertStatus.ACKNOWLEDGED])
            )
        )
    )
    alerts = call.result["alerts"]
    assert {alert["id"] for alert in alerts} == expected
    severities = {"CRITICAL": 0, "HIGH": 1, "MEDIUM": 2, "LOW": 3}
    ranks = [severities[alert["severity"]] for alert in alerts]
    assert ranks == sorted(ranks), "most severe first"
    assert f"{len(expected)} open alerts" in reply.answer
    assert f"#{alerts[0]['id']} **{alerts[0]['client_name']}**" in reply.answer


def test_list_follow_ups_are_my_open_follow_ups_due_within_a_week(ask: Ask, db: Session) -> None:
    reply = ask("what follow-ups are due")
    call = only_call(reply, "list_follow_ups")
    assert call.args == {"days_ahead": 7}

    jane = user_id(db, JANE)
    rows = list(
        db.scalars(
            select(Activity).where(
                Activity.performed_by_id == jane,
                Activity.follow_up_date.is_not(None),
                Activity.follow_up_date <= AS_OF + dt.timedelta(days=7),
                Activity.follow_up_completed.is_(False),
            )
        )
    )
    follow_ups = call.result["follow_ups"]
    assert {item["activity_id"] for item in follow_ups["overdue"]} == {
        row.id
        for row in rows
        if row.follow_up_date < AS_OF  # type: ignore[operator]
    }
    assert {item["activity_id"] for item in follow_ups["due_today"]} == {
        row.id for row in rows if row.follow_up_date == AS_OF
    }
    assert {item["activity_id"] for item in follow_ups["upcoming"]} == {
        row.id
        for row in rows
        if row.follow_up_date > AS_OF  # type: ignore[operator]
    }
    assert f"**Overdue ({len(follow_ups['overdue'])})**" in reply.answer
    first = follow_ups["overdue"][0]
    assert f"({-first['days_until_due']} days ago)" in reply.answer


def test_churn_risk_for_one_client_is_its_stored_prediction(ask: Ask, db: Session) -> None:
    reply = ask("what's acme's churn risk")
    call = only_call(reply, "churn_risk")
    assert call.args == {"client": "Acme Corp"}

    acme = client_named(db, "Acme Corp")
    prediction = latest_prediction(db, acme.id)
    (view,) = call.result["clients"]
    assert view["client_id"] == acme.id
    assert view["prediction_id"] == prediction.id
    assert view["probability_30d"] == pytest.approx(prediction.probability_30d)
    assert view["probability_90d"] == pytest.approx(prediction.probability_90d)
    assert view["risk_band"] == prediction.risk_band
    assert view["churn_risk_score"] == acme.churn_risk_score
    assert f"**{round(prediction.probability_90d * 100)}%** over 90 days" in reply.answer
    assert f"30 days {round(prediction.probability_30d * 100)}%" in reply.answer


def test_benchmark_client_compares_with_its_tier_cohort(ask: Ask, db: Session) -> None:
    reply = ask("how does acme compare to similar clients")
    call = only_call(reply, "benchmark_client")
    assert call.args == {"client": "Acme Corp", "cohort": "tier"}

    acme = client_named(db, "Acme Corp")
    cohort = list(
        db.scalars(
            select(Client).where(
                Client.workspace_id == acme.workspace_id,
                Client.contract_tier == acme.contract_tier,
                Client.lifecycle_status.not_in(NOT_IN_PORTFOLIO),
            )
        )
    )
    report = call.result["benchmark"]
    assert report["client_id"] == acme.id
    assert report["cohort_size"] == len(cohort)
    health = next(metric for metric in report["metrics"] if metric["metric"] == "health")
    assert health["value"] == pytest.approx(snapshot(db, acme.id, AS_OF).overall_score, abs=0.01)
    cohort_average = sum(snapshot(db, client.id, AS_OF).overall_score for client in cohort) / len(cohort)
    assert health["cohort_average"] == pytest.approx(cohort_average, abs=0.1)
    assert f"{len(cohort)} clients" in reply.answer
    assert f"{health['value']:.1f} vs cohort average {health['cohort_average']:.1f}" in reply.answer


def test_simulate_weights_rescores_the_stored_components_and_saves_nothing(ask: Ask, db: Session) -> None:
    configs_before = db.scalar(select(func.count()).select_from(ScoreConfig))
    snapshots_before = db.scalar(select(func.count()).select_from(HealthSnapshot))
    reply = ask("what if usage weighed 30 and adoption 15")
    call = only_call(reply, "simulate_weights")
    assert call.args == {"weights": {"usage": 30.0, "adoption": 15.0}}

    simulation = call.result["simulation"]
    weights = simulation["weights"]
    assert weights["usage"] == 30
    assert weights["adoption"] == 15
    assert sum(weights.values()) == pytest.approx(100)
    clients = portfolio_of(db, JANE)
    assert simulation["clients"] == len(clients)

    def rescored(components: dict[str, Any]) -> float:
        present = {name: weight for name, weight in weights.items() if components.get(name) is not None}
        return sum(weight * components[name] for name, weight in present.items()) / sum(present.values())

    simulated = {client.id: rescored(snapshot(db, client.id, AS_OF).components) for client in clients}
    assert simulation["average_simulated"] == pytest.approx(sum(simulated.values()) / len(simulated), abs=0.01)
    for change in simulation["status_changes"]:
        assert change["simulated_score"] == pytest.approx(simulated[change["client_id"]], abs=0.01)
        assert f"**{change['client_name']}**" in reply.answer
    db.rollback()
    assert db.scalar(select(func.count()).select_from(ScoreConfig)) == configs_before
    assert db.scalar(select(func.count()).select_from(HealthSnapshot)) == snapshots_before
    assert f"{simulation['average_current']:.1f} → {simulation['average_simulated']:.1f}" in reply.answer
    assert "nothing saved" in reply.answer


def test_engagement_status_counts_the_deliverable_and_payment_rows(ask: Ask, db: Session) -> None:
    reply = ask("what's the status of the northwind engagement")
    call = only_call(reply, "engagement_status")
    assert call.args == {"client": "Northwind Logistics"}

    northwind = client_named(db, "Northwind Logistics")
    proposals = list(db.scalars(select(Proposal.id).where(Proposal.client_id == northwind.id)))
    deliverables = list(db.scalars(select(Deliverable).where(Deliverable.proposal_id.in_(proposals))))
    payments = list(db.scalars(select(Payment).where(Payment.proposal_id.in_(proposals))))
    engagement = call.result["engagement"]
    assert engagement["total_deliverables"] == len(deliverables)
    completed = [d for d in deliverables if d.status == "completed"]
    blocked = [d for d in deliverables if d.status == "blocked"]
    overdue = [d for d in deliverables if d.status != "completed" and d.due_date and d.due_date < AS_OF]
    assert engagement["completed_deliverables"] == len(completed)
    assert {d["id"] for d in engagement["blocked"]} == {d.id for d in blocked}
    assert engagement["overdue_deliverables"] == len(overdue)
    assert {p["id"] for p in engagement["payments"]} == {p.id for p in payments}
    unpaid_late = [p for p in payments if p.status != "paid" and p.due_date < AS_OF]
    assert engagement["overdue_payments"] == len(unpaid_late)

    assert f"{len(completed)} of {len(deliverables)} deliverables completed" in reply.answer
    assert f"{len(overdue)} overdue, {len(blocked)} blocked" in reply.answer
    for deliverable in deliverables:
        assert deliverable.title in reply.answer


def test_activity_summary_of_last_week_counts_my_activity_rows(ask: Ask, db: Session) -> None:
    reply = ask("what did i do last week")
    call = only_call(reply, "activity_summary")
    assert call.args == {"start": "2026-11-09", "end": "2026-11-15"}

    start = dt.datetime(2026, 11, 9, tzinfo=dt.UTC)
    rows = list(
        db.scalars(
            select(Activity).where(
                Activity.performed_by_id == user_id(db, JANE),
                Activity.occurred_at >= start,
                Activity.occurred_at < start + dt.timedelta(days=7),
            )
        )
    )
    summary = call.result["summary"]
    assert summary["total_activities"] == len(rows)
    assert set(summary["activity_ids"]) == {row.id for row in rows}
    minutes = sum(row.duration_minutes or 0 for row in rows)
    assert summary["total_minutes"] == minutes
    assert summary["by_type"] == dict(Counter(row.activity_type.value for row in rows))
    assert f"{len(rows)} activities, {minutes} minutes" in reply.answer


def test_generate_proof_numbers_are_the_stored_baseline_and_outcomes(ask: Ask, db: Session) -> None:
    reply = ask("generate proof for northwind")
    call = only_call(reply, "generate_proof")
    assert call.args == {"client": "Northwind Logistics"}

    northwind = client_named(db, "Northwind Logistics")
    target = db.scalars(
        select(ResultTarget).where(ResultTarget.client_id == northwind.id, ResultTarget.is_active.is_(True))
    ).one()
    baseline = db.scalars(select(BaselineSnapshot).where(BaselineSnapshot.client_id == northwind.id)).one()
    entries = list(
        db.scalars(
            select(OutcomeEntry)
            .where(OutcomeEntry.client_id == northwind.id, OutcomeEntry.metric == target.metric)
            .order_by(OutcomeEntry.week_start)
        )
    )
    numbers = call.result["proof"]["numbers"]
    baseline_value = Decimal(str(baseline.metrics[target.metric]["value"]))
    assert Decimal(numbers["baseline_value"]) == baseline_value
    assert numbers["baseline_date"] == baseline.captured_on.isoformat()
    assert Decimal(numbers["latest_value"]) == entries[-1].value
    assert numbers["latest_week"] == entries[-1].week_start.isoformat()
    assert Decimal(numbers["target_value"]) == target.target_value
    assert numbers["weeks_measured"] == len(entries)
    assert Decimal(numbers["absolute_change"]) == entries[-1].value - baseline_value
    progress = (baseline_value - entries[-1].value) / (baseline_value - target.target_value) * 100
    assert numbers["progress_percent"] == round(progress)
    sources = call.result["source_ids"]
    assert sources["baseline_snapshot"] == [baseline.id]
    assert set(sources["outcome_entries"]) == {entry.id for entry in entries}
    interventions = db.scalars(select(Intervention.id).where(Intervention.client_id == northwind.id)).all()
    assert set(sources["interventions"]) == set(interventions)
    feedback = db.scalars(select(ClientFeedback).where(ClientFeedback.id.in_(sources["client_feedback"]))).one()
    assert call.result["proof"]["quote"] == feedback.response

    assert f"from {baseline_value.normalize():f} to {entries[-1].value.normalize():f}" in reply.answer
    assert f"{numbers['progress_percent']}% of the way" in reply.answer
    assert f"{len(entries)} weekly scorecard entries" in reply.answer


def test_draft_outreach_writes_to_the_champion_with_real_facts_and_sends_nothing(ask: Ask, db: Session) -> None:
    activities_before = db.scalar(select(func.count()).select_from(Activity))
    reply = ask("draft a check-in email to acme")
    call = only_call(reply, "draft_outreach")
    assert call.args == {"client": "Acme Corp", "purpose": "check_in"}

    acme = client_named(db, "Acme Corp")
    champion = db.scalars(
        select(Contact).where(
            Contact.client_id == acme.id, Contact.role == ContactRole.CHAMPION, Contact.is_active.is_(True)
        )
    ).first()
    assert champion is not None
    assert call.result["to_name"] == champion.name
    assert call.result["to_email"] == champion.email
    days = (AS_OF - acme.last_csm_contact_at.date()).days  # type: ignore[union-attr]
    assert f"{days} days since we last spoke" in call.result["body"]
    assert call.result["body"].startswith(f"Hi {champion.name.split()[0]},")
    assert call.result["subject"] in reply.answer
    assert f"{days} days" in reply.answer
    assert "Nothing has been sent" in reply.answer
    db.rollback()
    assert db.scalar(select(func.count()).select_from(Activity)) == activities_before
