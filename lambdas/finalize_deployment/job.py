"""The CodePipeline job that invokes the finalize function, and its UserParameters."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

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


class JobParametersError(ValueError):
    """The action's UserParameters are missing or malformed; the message says what is expected."""


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


def job_id_of(event: dict[str, Any]) -> str:
    """The CodePipeline job id, or KeyError when the event is not a CodePipeline job."""
    job_id = event["CodePipeline.job"]["id"]
    if not isinstance(job_id, str) or not job_id:
        raise KeyError("CodePipeline.job.id")
    return job_id


def parse_job(event: dict[str, Any]) -> FinalizeJob:
    """Read the job id and the JSON UserParameters of a CodePipeline Lambda invoke event."""
    job_id = job_id_of(event)
    configuration = event["CodePipeline.job"].get("data", {}).get("actionConfiguration", {})
    raw = configuration.get("configuration", {}).get("UserParameters")
    try:
        parameters = json.loads(raw) if isinstance(raw, str) else None
    except json.JSONDecodeError:
        parameters = None
    if not isinstance(parameters, dict):
        raise JobParametersError(
            f"UserParameters must be a JSON object with {', '.join(USER_PARAMETER_KEYS)}"
        )
    missing = [
        key for key in USER_PARAMETER_KEYS if not isinstance(parameters.get(key), str) or not parameters[key]
    ]
    if missing:
        raise JobParametersError(f"UserParameters lack {', '.join(missing)} (non-empty strings)")
    return FinalizeJob(job_id, *(parameters[key] for key in USER_PARAMETER_KEYS))
