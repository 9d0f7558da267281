"""The words of a proof post, written only from measured facts (pure: plain values in, text out).

Every number in the output is one of the facts' numbers or dates, printed by `plain_number` or `long_date`;
everything else quoted (client, metric, unit, intervention titles, the client's words) is stored text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from domain.success.rules import Change, plain_number


@dataclass(frozen=True, slots=True)
class ProofFacts:
    client_name: str
    metric: str
    unit: str
    baseline_value: Decimal
    baseline_date: dt.date
    latest_value: Decimal
    latest_week: dt.date
    target_value: Decimal
    target_date: dt.date
    change: Change
    progress_percent: int
    achieved: bool
    weeks_measured: int
    interventions: tuple[tuple[dt.date, str, str], ...]  # (occurred_on, kind, title) in date order
    quote: str | None
    quote_by: str | None


@dataclass(frozen=True, slots=True)
class ProofText:
    title: str
    body: str
    bullets: list[str]
    snippet: str


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B} {day.year}"


def change_phrase(change: Change, unit: str) -> str:
    """Say a change as people read it, e.g. down 13 hours/week (40.6%): the sign is in the word."""
    if change.absolute == 0:
        return "unchanged"
    verb = "down" if change.absolute < 0 else "up"
    percent = "" if change.percent is None else f" ({plain_number(abs(change.percent))}%)"
    return f"{verb} {plain_number(abs(change.absolute))} {unit}{percent}"


def progress_phrase(facts: ProofFacts) -> str:
    if facts.achieved:
        return f"the target of {plain_number(facts.target_value)} {facts.unit} is met"
    return (
        f"{facts.progress_percent}% of the way to the target of {plain_number(facts.target_value)} {facts.unit} "
        f"set for {long_date(facts.target_date)}"
    )


def _measured(facts: ProofFacts) -> str:
    entries = "entry" if facts.weeks_measured == 1 else "entries"
    return f"{facts.weeks_measured} weekly scorecard {entries}"


def build_proof_text(facts: ProofFacts) -> ProofText:
    baseline, latest = plain_number(facts.baseline_value), plain_number(facts.latest_value)
    change = change_phrase(facts.change, facts.unit)
    title = f"{facts.client_name}: {facts.metric} from {baseline} to {latest} {facts.unit}"
    lines = [
        f"{facts.client_name} measured {facts.metric} at {baseline} {facts.unit} on {long_date(facts.baseline_date)}.",
        f"In the week of {long_date(facts.latest_week)} it was {latest} {facts.unit}: {change}.",
        f"That is {progress_phrase(facts)}, tracked in {_measured(facts)}.",
    ]
    if facts.interventions:
        lines.append("")
        lines.append("What we changed:")
        lines.extend(f"- {long_date(day)}: {title} ({kind})" for day, kind, title in facts.interventions)
    if facts.quote:
        lines.append("")
        lines.append(f'"{facts.quote}"' + (f" - {facts.quote_by}" if facts.quote_by else ""))
    bullets = [
        f"{facts.metric}: {baseline} -> {latest} {facts.unit}, {change}, "
        f"from {long_date(facts.baseline_date)} to the week of {long_date(facts.latest_week)}",
        progress_phrase(facts)[0].upper() + progress_phrase(facts)[1:],
        *(f"{kind.capitalize()}: {title} ({long_date(day)})" for day, kind, title in facts.interventions),
    ]
    if facts.quote:
        bullets.append(f'In the client\'s words: "{facts.quote}"')
    snippet = (
        f"For {facts.client_name} we took {facts.metric} from {baseline} to {latest} {facts.unit}, {change}, "
        f"measured weekly since {long_date(facts.baseline_date)}."
    )
    return ProofText(title=title, body="\n".join(lines), bullets=bullets, snippet=snippet)
