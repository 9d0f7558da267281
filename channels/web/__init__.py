"""The FastAPI channel: web chat, dashboard, REST API and client portal on one app."""
