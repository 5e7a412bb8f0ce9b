"""The CodePipeline job that invokes the resolve function, and its UserParameters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lambdas.common.codepipeline_job import JobParametersError, job_id_of, user_parameters

# The action's UserParameters: a JSON object of these keys, filled by CodePipeline from the execution's
# "#{variables.ModelPackageArn}", "#{variables.ModelName}", "#{variables.ModelVersion}", the stage,
# "#{codepipeline.PipelineExecutionId}" and whether the stage waits for an approval ("true"/"false").
USER_PARAMETER_KEYS = (
    "model_package_arn",
    "model_name",
    "model_version",
    "stage",
    "execution_id",
    "approval_required",
)


@dataclass(frozen=True)
class ResolveJob:
    """Which package an execution asks to deploy, under which model version label, to which stage."""

    model_package_arn: str
    model_name: str
    model_version: str
    stage: str
    execution_id: str = ""
    approval_required: bool = False
    job_id: str = ""


def parse_job(event: dict[str, Any]) -> ResolveJob:
    """Read the job id and the JSON UserParameters of a CodePipeline Lambda invoke event."""
    parameters = user_parameters(event, USER_PARAMETER_KEYS)
    if parameters["approval_required"] not in {"true", "false"}:
        raise JobParametersError("UserParameters approval_required must be 'true' or 'false'")
    return ResolveJob(
        model_package_arn=parameters["model_package_arn"],
        model_name=parameters["model_name"],
        model_version=parameters["model_version"],
        stage=parameters["stage"],
        execution_id=parameters["execution_id"],
        approval_required=parameters["approval_required"] == "true",
        job_id=job_id_of(event),
    )
