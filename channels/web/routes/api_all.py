"""Every REST API router and the client portal, in the order the OpenAPI document lists them."""

from __future__ import annotations

from fastapi import APIRouter

from channels.web.routes import (
    api_activities,
    api_ai,
    api_alerts,
    api_analytics,
    api_client_success,
    api_clients,
    api_config,
    api_contacts,
    api_events,
    api_health,
    api_leads,
    api_notes,
    api_operations,
    api_portal_links,
    api_supplier,
    api_usage,
    portal,
)

API_ROUTERS: list[APIRouter] = [
    api_clients.router,
    api_health.router,
    api_usage.router,
    api_activities.router,
    api_contacts.router,
    api_notes.router,
    api_alerts.router,
    api_analytics.router,
    api_config.router,
    api_ai.router,
    api_events.router,
    api_leads.router,
    api_client_success.router,
    api_supplier.router,
    api_operations.router,
    api_portal_links.router,
    portal.router,
]
