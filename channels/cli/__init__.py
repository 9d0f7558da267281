"""The `csagent` command line."""

from channels.cli.app import main

__all__ = ["main"]
