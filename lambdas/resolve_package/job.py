"""The CodePipeline job that invokes the resolve function, and its UserParameters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lambdas.common.codepipeline_job import user_parameters

# The action's UserParameters: a JSON object of these keys, filled by CodePipeline from the execution's
# "#{variables.ModelPackageArn}", "#{variables.ModelName}", "#{variables.ModelVersion}" and the stage.
USER_PARAMETER_KEYS = ("model_package_arn", "model_name", "model_version", "stage")


@dataclass(frozen=True)
class ResolveJob:
    """Which package an execution asks to deploy, under which model version label, to which stage."""

    model_package_arn: str
    model_name: str
    model_version: str
    stage: str


def parse_job(event: dict[str, Any]) -> ResolveJob:
    """Read the JSON UserParameters of a CodePipeline Lambda invoke event."""
    parameters = user_parameters(event, USER_PARAMETER_KEYS)
    return ResolveJob(*(parameters[key] for key in USER_PARAMETER_KEYS))
