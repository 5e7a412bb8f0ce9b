"""The CodePipeline job that invokes the function, and the UserParameters the pipeline passes it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


class JobParametersError(ValueError):
    """The action's UserParameters are missing or malformed; the message says what is expected."""


@dataclass(frozen=True)
class SmokeTestJob:
    """One smoke-test request: which endpoint to call and where the model's manifest is."""

    job_id: str
    endpoint_name: str
    manifest_bucket: str
    manifest_key: str
    region: str | None = None


_REQUIRED = ("endpoint_name", "manifest_bucket", "manifest_key")


def job_id_of(event: dict[str, Any]) -> str:
    """The CodePipeline job id, or KeyError when the event is not a CodePipeline job."""
    job_id = event["CodePipeline.job"]["id"]
    if not isinstance(job_id, str) or not job_id:
        raise KeyError("CodePipeline.job.id")
    return job_id


def parse_job(event: dict[str, Any]) -> SmokeTestJob:
    """Read the job id and the JSON UserParameters of a CodePipeline Lambda invoke event."""
    job_id = job_id_of(event)
    configuration = event["CodePipeline.job"].get("data", {}).get("actionConfiguration", {})
    raw = configuration.get("configuration", {}).get("UserParameters")
    try:
        parameters = json.loads(raw) if isinstance(raw, str) else None
    except json.JSONDecodeError:
        parameters = None
    if not isinstance(parameters, dict):
        raise JobParametersError(f"UserParameters must be a JSON object with {', '.join(_REQUIRED)}")
    missing = [
        name for name in _REQUIRED if not isinstance(parameters.get(name), str) or not parameters[name]
    ]
    if missing:
        raise JobParametersError(f"UserParameters lack {', '.join(missing)} (non-empty strings)")
    region = parameters.get("region")
    return SmokeTestJob(
        job_id=job_id,
        endpoint_name=parameters["endpoint_name"],
        manifest_bucket=parameters["manifest_bucket"],
        manifest_key=parameters["manifest_key"],
        region=region if isinstance(region, str) and region else None,
    )
