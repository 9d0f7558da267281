"""Request bodies of the configuration endpoints: typed, so a malformed model is a 422 before any scoring."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from domain.enums import ContractTier, HealthStatus


class NormaliserIn(BaseModel):
    """How a raw metric maps to 0-100 (domain/scoring/rules.py normalise)."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["percent", "identity", "steps", "linear"] = "identity"
    steps: list[tuple[float, float]] | None = Field(default=None, max_length=20, description="[bound, score] pairs")
    otherwise: float | None = Field(default=None, ge=0, le=100)
    zero_at: float | None = None
    full_at: float | None = None


class ComponentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=64)
    metric: str = Field(min_length=1, max_length=64)
    weight: float = Field(ge=0, le=100)
    normalise: NormaliserIn = Field(default_factory=NormaliserIn)


class BandIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: HealthStatus
    min: float = Field(ge=0, le=100)


class ScoreConfigIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    model_key: Literal["health", "success", "supplier"] = "health"
    components: list[ComponentIn] = Field(min_length=1, max_length=20, description="Weights sum to 100")
    bands: list[BandIn] | None = Field(default=None, max_length=4, description="Default: the current bands")
    tier: ContractTier | None = None
    segment: str | None = Field(default=None, min_length=1, max_length=100)


class WeightsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    weights: dict[str, float] = Field(
        min_length=1, max_length=20, description="Component name -> new weight; the weights then sum to 100"
    )
