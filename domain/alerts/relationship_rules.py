"""Alert rules on a client's people and contract: key users, champion, NPS, renewal (seed 004 F8).

Pure: each rule reads AlertInputs and its own parameters and returns the alerts that hold now.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.alerts.facts import AlertCandidate, AlertInputs, KeyContact, days, in_days
from domain.enums import AlertSeverity, AlertType, ContactRole

T = AlertType
S = AlertSeverity


def key_user_inactive(inputs: AlertInputs, params: Mapping[str, Any]) -> list[AlertCandidate] | None:
    limit = int(params["days"])
    found = []
    for contact in inputs.key_contacts:
        if not contact.is_active or contact.last_login is None:
            continue  # no login on record is missing data, not inactivity
        idle = inputs.days_since(contact.last_login)
        if idle >= limit:
            found.append(_contact_alert(T.KEY_USER_INACTIVE, inputs, contact, idle, limit))
    return found


def _contact_alert(
    alert_type: AlertType, inputs: AlertInputs, contact: KeyContact, idle: int, limit: int
) -> AlertCandidate:
    role = _role_words(contact.role)
    assert contact.last_login is not None
    return AlertCandidate(
        alert_type,
        S.HIGH,
        f"{inputs.client_name}: {role} {contact.name} inactive for {days(idle)}"
        + (f" before the renewal {in_days(inputs.days_to_renewal or 0)}" if alert_type is T.CHAMPION_RISK else ""),
        f"{contact.name} ({role}) last logged in on {contact.last_login.date()}, {days(idle)} ago; "
        f"alerts fire after {days(limit)} without a login."
        + (_renewal_words(inputs) if alert_type is T.CHAMPION_RISK else ""),
        "days_since_last_login",
        str(idle),
        f">= {limit}",
        f"Reach out to {contact.name} personally and find out what changed; line up a second contact.",
        subject_key=str(contact.id),
        related_entity_type="contact",
        related_entity_id=str(contact.id),
    )


def _role_words(role: ContactRole) -> str:
    return role.value.replace("_", " ").lower()


def _renewal_words(inputs: AlertInputs) -> str:
    return f" Renewal is on {inputs.next_renewal_date}, {in_days(inputs.days_to_renewal or 0)}."


def renewal_approaching(inputs: AlertInputs, params: Mapping[str, Any]) -> list[AlertCandidate] | None:
    days_left = inputs.days_to_renewal
    if days_left is None or days_left < 0:
        return []
    reached = [window for window in sorted(int(d) for d in params["days"]) if days_left <= window]
    if not reached:
        return []
    window = reached[0]
    severity = S.HIGH if window <= int(params["high_within_days"]) else S.MEDIUM
    return [
        AlertCandidate(
            T.RENEWAL_APPROACHING,
            severity,
            f"{inputs.client_name}: renewal {in_days(days_left)}",
            f"The contract renews on {inputs.next_renewal_date}, {in_days(days_left)} (the {window}-day reminder).",
            "days_to_renewal",
            str(days_left),
            f"<= {window}",
            "Confirm the renewal plan: review health and value delivered, and schedule the renewal conversation.",
            subject_key=f"renewal-{window}",
            related_entity_type="renewal",
            related_entity_id=str(inputs.next_renewal_date),
        )
    ]


def champion_risk(inputs: AlertInputs, params: Mapping[str, Any]) -> list[AlertCandidate] | None:
    days_left = inputs.days_to_renewal
    within = int(params["renewal_within_days"])
    if days_left is None or not 0 <= days_left <= within:
        return []
    champions = [contact for contact in inputs.key_contacts if contact.role is ContactRole.CHAMPION]
    active = [contact for contact in champions if contact.is_active]
    if not active:
        departed = [contact for contact in champions if contact.left_company_at is not None]
        return [_champion_left(inputs, max(departed, key=_left_at), within)] if departed else []
    limit = int(params["inactive_days"])
    found = []
    for contact in active:
        if contact.last_login is not None and inputs.days_since(contact.last_login) >= limit:
            found.append(_contact_alert(T.CHAMPION_RISK, inputs, contact, inputs.days_since(contact.last_login), limit))
    return found


def _left_at(contact: KeyContact) -> str:
    return contact.left_company_at.isoformat() if contact.left_company_at else ""


def _champion_left(inputs: AlertInputs, contact: KeyContact, within: int) -> AlertCandidate:
    assert contact.left_company_at is not None
    return AlertCandidate(
        T.CHAMPION_RISK,
        S.HIGH,
        f"{inputs.client_name}: champion {contact.name} has left",
        f"{contact.name}, the champion, left the company on {contact.left_company_at.date()} and no active champion "
        f"is named.{_renewal_words(inputs)}",
        "champion_left",
        str(contact.left_company_at.date()),
        f"renewal within {days(within)}",
        "Find and win a new champion before the renewal; ask the executive sponsor for an introduction.",
        subject_key=str(contact.id),
        related_entity_type="contact",
        related_entity_id=str(contact.id),
    )


def nps_detractor(inputs: AlertInputs, params: Mapping[str, Any]) -> list[AlertCandidate] | None:
    latest, limit = inputs.latest_nps, int(params["max_score"])
    if latest is None or latest.score > limit:
        return []
    return [
        AlertCandidate(
            T.NPS_DETRACTOR,
            S.MEDIUM,
            f"{inputs.client_name}: NPS detractor ({latest.score}/10)",
            f"The latest NPS answer, on {latest.responded_at.date()}, scored {latest.score}; answers of {limit} or "
            "less are detractors.",
            "latest_nps",
            str(latest.score),
            f"<= {limit}",
            "Call the respondent within a week to understand the score and agree one concrete fix.",
            subject_key=f"nps-{latest.id}",
            related_entity_type="survey_response",
            related_entity_id=str(latest.id),
        )
    ]
