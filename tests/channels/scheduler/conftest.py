"""The scheduler tests use the email channel's fixtures: a demo copy, a real SMTP server, a Slack stand-in."""

from tests.channels.email.conftest import demo_engine, demo_path, sessions, settings, slack, smtp

__all__ = ["demo_engine", "demo_path", "sessions", "settings", "slack", "smtp"]
