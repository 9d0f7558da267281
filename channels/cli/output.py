"""Rendering helpers shared by commands: JSON for scripts, rich tables for people."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from rich.console import Console

console = Console()


def print_json(payload: BaseModel | Sequence[BaseModel] | dict[str, Any] | list[Any]) -> None:
    """Print JSON to stdout with no decoration, so `| jq` always works."""
    if isinstance(payload, BaseModel):
        data: Any = payload.model_dump(mode="json")
    elif isinstance(payload, list | tuple) and payload and isinstance(payload[0], BaseModel):
        data = [item.model_dump(mode="json") for item in payload]
    else:
        data = payload
    print(json.dumps(data, indent=2, default=str))


def money(value: Any) -> str:
    if value is None:
        return "—"
    amount = float(value)
    return f"${amount / 1000:,.0f}K" if amount >= 1000 else f"${amount:,.0f}"


def or_dash(value: Any) -> str:
    return "—" if value is None else str(value)
