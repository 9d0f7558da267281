"""Pure scoring rules: normalisation, weighted score with insufficient-data redistribution, bands, trend.

No I/O here; every function is tested with plain values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from domain.enums import HealthStatus, HealthTrend


def clamp(value: float, low: float = 0.0, high: float = 100.0) -> float:
    return max(low, min(high, value))


def normalise(raw: float, spec: Mapping[str, Any]) -> float:
    """Map a raw metric value to 0-100 with a normaliser described as data.

    kinds: "percent" (ratio x 100), "identity" (already 0-100), "steps" (first bound the value is
    below gives its score, else `otherwise`), "linear" (zero_at -> 0, full_at -> 100, either order).
    """
    kind = spec.get("kind", "identity")
    if kind == "percent":
        return clamp(raw * 100.0)
    if kind == "identity":
        return clamp(raw)
    if kind == "steps":
        for bound, score in spec["steps"]:
            if raw < bound:
                return float(score)
        return float(spec.get("otherwise", 0.0))
    if kind == "linear":
        zero_at, full_at = float(spec["zero_at"]), float(spec["full_at"])
        return clamp((raw - zero_at) / (full_at - zero_at) * 100.0)
    raise ValueError(f"unknown normaliser kind {kind!r}")


@dataclass(frozen=True, slots=True)
class WeightedScore:
    overall: float
    components: dict[str, float | None]  # None = insufficient data
    weights: dict[str, float]  # effective weights (fractions summing to 1 over scored components)
    insufficient: list[str]


def weighted_score(weights: Mapping[str, float], scores: Mapping[str, float | None]) -> WeightedScore:
    """Weighted average over the components that have data; missing ones give their weight to the rest.

    Raises ValueError when no component has data: a score made of nothing is not a score.
    """
    available = {name: weight for name, weight in weights.items() if scores.get(name) is not None and weight > 0}
    total = sum(available.values())
    if total <= 0:
        raise ValueError("no component has data")
    effective = {name: (available[name] / total if name in available else 0.0) for name in weights}
    overall = sum(effective[name] * float(scores[name] or 0.0) for name in available)
    insufficient = [name for name in weights if scores.get(name) is None]
    return WeightedScore(clamp(overall), {name: scores.get(name) for name in weights}, effective, insufficient)


def band(overall: float, bands: Sequence[Mapping[str, Any]]) -> HealthStatus:
    """The first band (highest minimum first) whose minimum the score reaches."""
    for entry in sorted(bands, key=lambda item: -float(item["min"])):
        if overall >= float(entry["min"]):
            return HealthStatus(entry["status"])
    return HealthStatus(sorted(bands, key=lambda item: float(item["min"]))[0]["status"])


def trend(current: float, previous: float | None, *, delta: float = 5.0) -> HealthTrend | None:
    """UP / DOWN / FLAT by the change over the trend window; None when there is nothing to compare."""
    if previous is None:
        return None
    change = current - previous
    if change >= delta:
        return HealthTrend.UP
    if change <= -delta:
        return HealthTrend.DOWN
    return HealthTrend.FLAT


@dataclass(frozen=True, slots=True)
class Contribution:
    """One component's share of an overall score change: score effect plus weight-redistribution effect."""

    component: str
    score_before: float | None
    score_after: float | None
    weight_before: float
    weight_after: float
    score_effect: float  # weight before x change in the component's score
    weight_effect: float  # change in effective weight x score after (redistribution when data appears/vanishes)

    @property
    def total(self) -> float:
        return self.score_effect + self.weight_effect


def decompose_change(
    weights_before: Mapping[str, float],
    scores_before: Mapping[str, float | None],
    weights_after: Mapping[str, float],
    scores_after: Mapping[str, float | None],
) -> list[Contribution]:
    """Split overall_after - overall_before exactly into per-component contributions, biggest first.

    With overall = sum(w_i * s_i) over scored components, w1*s1 - w0*s0 = w0*(s1 - s0) + (w1 - w0)*s1,
    so the contributions always sum to the change (a missing score counts as weight 0).
    """
    contributions = []
    for name in sorted(set(weights_before) | set(weights_after)):
        s0, s1 = scores_before.get(name), scores_after.get(name)
        w0 = weights_before.get(name, 0.0) if s0 is not None else 0.0
        w1 = weights_after.get(name, 0.0) if s1 is not None else 0.0
        if s0 is not None and s1 is not None:
            score_effect, weight_effect = w0 * (s1 - s0), (w1 - w0) * s1
        else:
            score_effect, weight_effect = 0.0, w1 * (s1 or 0.0) - w0 * (s0 or 0.0)
        contributions.append(Contribution(name, s0, s1, w0, w1, score_effect, weight_effect))
    return sorted(contributions, key=lambda item: (-abs(item.total), item.component))
