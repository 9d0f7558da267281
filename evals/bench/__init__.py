"""Benchmarks run by `csagent bench` (and as modules): figures against SQLite and PostgreSQL, never pass/fail."""
