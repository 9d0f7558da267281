"""Scheduled jobs (recompute, alerts, briefings, weekly emails, upkeep) and the single-leader scheduler."""
