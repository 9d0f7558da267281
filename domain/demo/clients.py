"""Client rows from the plans, and the activity dates filled in once events and activities exist."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from domain.clients.models import Client
from domain.demo.clock import stamps, utc_at
from domain.demo.plan import ClientPlan


def client_row(plan: ClientPlan, workspace_id: int, user_ids: dict[str, int], as_of: dt.date) -> dict[str, Any]:
    """The client as the CRM and contract know it; health fields stay empty for the scoring engine."""
    synced = plan.salesforce_id is not None or plan.hubspot_id is not None
    return {
        "workspace_id": workspace_id,
        "name": plan.name,
        "external_id": plan.external_id,
        "industry": plan.industry,
        "employee_count": plan.employee_count,
        "region": plan.region,
        "lifecycle_status": plan.lifecycle,
        "contract_tier": plan.tier,
        "contract_start_date": plan.contract_start,
        "contract_end_date": plan.renewal,
        "annual_recurring_revenue": plan.arr,
        "licensed_modules": list(plan.modules),
        "licensed_user_count": plan.licensed_users,
        "csm_user_id": user_ids[plan.csm_email],
        "ae_user_id": user_ids[plan.ae_email] if plan.ae_email else None,
        "salesforce_account_id": plan.salesforce_id,
        "hubspot_company_id": plan.hubspot_id,
        "crm_sync_enabled": synced,
        "last_crm_sync_at": utc_at(as_of, 6) if synced else None,  # the nightly sync ran this morning
        "go_live_date": plan.go_live,
        "next_renewal_date": plan.renewal,
        "tags": list(plan.tags),
        "segment": plan.segment,
        **stamps(utc_at(plan.contract_start, 9)),
    }


def record_last_touches(
    *,
    db_session: Session,
    plans: list[ClientPlan],
    client_ids: list[int],
    last_activity: list[dt.datetime | None],
    last_contact: list[dt.datetime | None],
) -> None:
    """Set each client's last platform activity and last CSM contact, as derived from the generated rows."""
    rows = [
        {
            "id": client_id,
            "last_activity_at": activity,
            "last_csm_contact_at": contact,
            # Named explicitly so the column's onupdate=now() does not fire and break determinism.
            "updated_at": utc_at(plan.contract_start, 9),
        }
        for plan, client_id, activity, contact in zip(plans, client_ids, last_activity, last_contact, strict=True)
    ]
    db_session.execute(update(Client), rows)
