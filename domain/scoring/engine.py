"""Score one client's inputs under one configuration: components, effective weights, status."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from domain.enums import HealthStatus
from domain.scoring.inputs import ClientInputs
from domain.scoring.metrics import REGISTRY, MetricContext
from domain.scoring.rules import band, normalise, weighted_score


@dataclass(frozen=True, slots=True)
class ScoreOutcome:
    overall: float
    status: HealthStatus
    components: dict[str, float | None]
    weights: dict[str, float]  # effective fractions after redistribution
    configured_weights: dict[str, float]  # the configuration's weights, in points
    raw_inputs: dict[str, dict[str, Any]]  # component -> {"metric","raw","words","details"} or {"insufficient": True}
    insufficient: list[str]


def score_client(
    *,
    components: Sequence[Mapping[str, Any]],
    bands: Sequence[Mapping[str, Any]],
    inputs: ClientInputs,
    features: Mapping[str, tuple[str, float]],
) -> ScoreOutcome | None:
    """Score a client; None when no component has any data (the client is "not scored", not 0)."""
    scores: dict[str, float | None] = {}
    raw: dict[str, dict[str, Any]] = {}
    for component in components:
        name = str(component["name"])
        context = MetricContext(features=features, params=component.get("params", {}))
        reading = REGISTRY[str(component["metric"])](inputs, context)
        if reading is None:
            scores[name] = None
            raw[name] = {"metric": component["metric"], "insufficient": True, "words": "insufficient data"}
            continue
        scores[name] = normalise(reading.raw, component.get("normalise", {}))
        raw[name] = {"metric": component["metric"], "raw": reading.raw, "words": reading.words, **reading.details}
    configured = {str(component["name"]): float(component["weight"]) for component in components}
    try:
        result = weighted_score(configured, scores)
    except ValueError:
        return None
    return ScoreOutcome(
        overall=result.overall,
        status=band(result.overall, bands),
        components=result.components,
        weights=result.weights,
        configured_weights=configured,
        raw_inputs=raw,
        insufficient=result.insufficient,
    )
