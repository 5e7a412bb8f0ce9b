"""Where the job runs: instances, storage, time limits and managed spot with checkpoints."""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from mlops_manifest.base import InstanceType, StrictModel
from mlops_manifest.instance_types import InstanceUse, instance_type_problems
from mlops_manifest.problems import Problem
from mlops_training.base import TrainingS3Uri, refuse

# SageMaker's MaxRuntimeInSeconds and MaxWaitTimeInSeconds: at most 28 days.
MAX_RUNTIME_MINUTES = 28 * 24 * 60


class Spot(StrictModel):
    """Managed spot training: interrupted jobs resume from checkpoints, so the checkpoint URI is required."""

    max_wait_minutes: int = Field(ge=1, le=MAX_RUNTIME_MINUTES)
    checkpoint_uri: TrainingS3Uri


class Resources(StrictModel):
    """Training instances (SageMaker's training instance types), their volume and the run's time limit."""

    instance_type: InstanceType = "ml.m5.xlarge"
    instance_count: int = Field(default=1, ge=1, le=100)
    volume_size_gb: int = Field(default=30, ge=1, le=16384)
    max_runtime_minutes: int = Field(default=24 * 60, ge=1, le=MAX_RUNTIME_MINUTES)
    spot: Spot | None = None

    @model_validator(mode="after")
    def _cross_checks(self) -> Self:
        """A real training instance type; spot waits at least as long as the job may run."""
        problems = instance_type_problems("instance_type", self.instance_type, InstanceUse.TRAINING)
        if self.spot is not None and self.spot.max_wait_minutes < self.max_runtime_minutes:
            allowed = (
                f"at least max_runtime_minutes ({self.max_runtime_minutes}): the wait for spot capacity "
                "includes the run itself"
            )
            found = str(self.spot.max_wait_minutes)
            problems.append(Problem("spot.max_wait_minutes", found, allowed, "spot_wait"))
        refuse(problems)
        return self
