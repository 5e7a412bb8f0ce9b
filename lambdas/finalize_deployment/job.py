"""The CodePipeline job that invokes the finalize function, and its UserParameters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lambdas.common.codepipeline_job import JobParametersError, job_id_of, user_parameters

__all__ = ["USER_PARAMETER_KEYS", "FinalizeJob", "JobParametersError", "job_id_of", "parse_job"]

# The action's UserParameters: a JSON object of these keys, filled by CodePipeline from
# "#{variables.ModelPackageArn}", "#{variables.ModelName}", "#{variables.ModelVersion}", the production
# endpoint name, the stage name and "#{codepipeline.PipelineExecutionId}".
USER_PARAMETER_KEYS = (
    "model_package_arn",
    "model_name",
    "model_version",
    "endpoint_name",
    "stage",
    "execution_id",
)


@dataclass(frozen=True)
class FinalizeJob:
    """One finalize request: which package reached which endpoint through which execution."""

    job_id: str
    model_package_arn: str
    model_name: str
    model_version: str
    endpoint_name: str
    stage: str
    execution_id: str


def parse_job(event: dict[str, Any]) -> FinalizeJob:
    """Read the job id and the JSON UserParameters of a CodePipeline Lambda invoke event."""
    parameters = user_parameters(event, USER_PARAMETER_KEYS)
    return FinalizeJob(job_id_of(event), *(parameters[key] for key in USER_PARAMETER_KEYS))
