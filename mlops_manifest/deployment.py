"""Deployment and data-capture settings: traffic shifting, baking, rollback alarms, capture sampling."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from mlops_manifest.base import MimeType, StrictModel


class DeploymentStrategy(StrEnum):
    """How production traffic moves to a new model version."""

    ALL_AT_ONCE = "all_at_once"
    CANARY = "canary"
    LINEAR = "linear"


class RollbackAlarms(StrictModel):
    """Thresholds of the CloudWatch alarms that roll a deployment back."""

    http_5xx_rate_percent: float = Field(default=1.0, gt=0, le=100)
    model_latency_ms: int = Field(default=1000, ge=1, le=3_600_000)
    invocation_errors: int = Field(default=5, ge=1, le=1_000_000)


class Deployment(StrictModel):
    """Blue/green deployment guardrails for production."""

    strategy: DeploymentStrategy = DeploymentStrategy.ALL_AT_ONCE
    # SageMaker: the canary is at most 50% of the new fleet; linear steps are 10-50% of it.
    canary_percent: int = Field(default=10, ge=1, le=50)
    linear_step_percent: int = Field(default=20, ge=10, le=50)
    # WaitIntervalInSeconds allows 0-3600 s.
    bake_minutes: int = Field(default=10, ge=0, le=60)
    rollback_alarms: RollbackAlarms = RollbackAlarms()


class DataCapture(StrictModel):
    """Endpoint data capture: what share of requests is recorded and how payloads are encoded."""

    enabled: bool = True
    sampling_percent: int = Field(default=20, ge=0, le=100)
    # At least one of each: SageMaker rejects an empty CaptureContentTypeHeader list.
    csv_content_types: list[MimeType] = Field(
        default_factory=lambda: ["text/csv"], min_length=1, max_length=10
    )
    json_content_types: list[MimeType] = Field(
        default_factory=lambda: ["application/json"], min_length=1, max_length=10
    )
