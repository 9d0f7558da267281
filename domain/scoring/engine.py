"""Score one client's inputs under one configuration: components, effective weights, status."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from domain.enums import HealthStatus
from domain.scoring.inputs import ClientInputs
from domain.scoring.metrics import REGISTRY, Metric, MetricContext
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
    return Scorer(components=components, bands=bands, features=features).score(inputs)


@dataclass(frozen=True, slots=True)
class _Component:
    name: str
    metric_key: Any  # as configured, echoed into raw_inputs
    metric: Metric
    context: MetricContext
    normaliser: Mapping[str, Any]


class Scorer:
    """One configuration made ready to score many clients: metric lookups and contexts are resolved once."""

    def __init__(
        self,
        *,
        components: Sequence[Mapping[str, Any]],
        bands: Sequence[Mapping[str, Any]],
        features: Mapping[str, tuple[str, float]],
    ) -> None:
        self._components = [
            _Component(
                name=str(component["name"]),
                metric_key=component["metric"],
                metric=REGISTRY[str(component["metric"])],
                context=MetricContext(features=features, params=component.get("params", {})),
                normaliser=component.get("normalise", {}),
            )
            for component in components
        ]
        self._configured = {str(component["name"]): float(component["weight"]) for component in components}
        self._bands = bands

    def score(self, inputs: ClientInputs) -> ScoreOutcome | None:
        """Score one client's inputs; None when no component has any data."""
        scores: dict[str, float | None] = {}
        raw: dict[str, dict[str, Any]] = {}
        for component in self._components:
            name = component.name
            reading = component.metric(inputs, component.context)
            if reading is None:
                scores[name] = None
                raw[name] = {"metric": component.metric_key, "insufficient": True, "words": "insufficient data"}
                continue
            scores[name] = normalise(reading.raw, component.normaliser)
            raw[name] = {"metric": component.metric_key, "raw": reading.raw, "words": reading.words, **reading.details}
        try:
            result = weighted_score(self._configured, scores)
        except ValueError:
            return None
        return ScoreOutcome(
            overall=result.overall,
            status=band(result.overall, self._bands),
            components=result.components,
            weights=result.weights,
            configured_weights=dict(self._configured),
            raw_inputs=raw,
            insufficient=result.insufficient,
        )
