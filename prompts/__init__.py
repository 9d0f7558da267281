"""Prompt and message templates as plain files, rendered strictly: a missing variable raises, never blanks."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

TEMPLATES = Path(__file__).parent


def money(value: Any) -> str:
    if value is None:
        return "n/a"
    amount = float(value)
    if abs(amount) >= 1_000_000:
        return f"${amount / 1_000_000:,.1f}M"
    if abs(amount) >= 1000:
        return f"${amount / 1000:,.0f}K"
    return f"${amount:,.0f}"


def pct(value: Any, digits: int = 0) -> str:
    """A fraction as a percentage: 0.613 -> 61%."""
    return "n/a" if value is None else f"{float(value) * 100:.{digits}f}%"


def num(value: Any, digits: int = 1) -> str:
    if value is None:
        return "n/a"
    number = float(value)
    return f"{number:.0f}" if number == int(number) and digits <= 1 else f"{number:.{digits}f}"


def signed(value: Any, digits: int = 1) -> str:
    return "n/a" if value is None else f"{float(value):+.{digits}f}"


def day(value: Any) -> str:
    if value is None:
        return "n/a"
    parsed = dt.date.fromisoformat(str(value)[:10]) if not isinstance(value, dt.date) else value
    return parsed.strftime("%b %-d, %Y")


def humanize(value: Any) -> str:
    return str(value).replace("_", " ").lower()


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(money=money, pct=pct, num=num, signed=signed, day=day, humanize=humanize)
    return env


def render(name: str, **variables: Any) -> str:
    """Render `name` (a path under prompts/) with exactly these variables; a missing one raises."""
    return environment().get_template(name).render(**variables).strip()


def exists(name: str) -> bool:
    return (TEMPLATES / name).is_file()


def template_names() -> list[str]:
    """Every template file under prompts/ (README.md documents them and is not one)."""
    paths = TEMPLATES.rglob("*")
    return sorted(str(p.relative_to(TEMPLATES)) for p in paths if p.suffix in {".md", ".j2"} and p.name != "README.md")


__all__ = ["exists", "render", "template_names"]
