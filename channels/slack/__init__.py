"""Slack channel: a Bolt app answering mentions, DMs, buttons and /cs over HTTP (FastAPI) or Socket Mode."""
