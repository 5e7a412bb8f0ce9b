"""The CodePipeline job that invokes the function, and the UserParameters the pipeline passes it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lambdas.common.codepipeline_job import JobParametersError, continuation_token, job_id_of, user_parameters

__all__ = ["JobParametersError", "SmokeTestJob", "job_id_of", "parse_job"]


@dataclass(frozen=True)
class SmokeTestJob:
    """One smoke-test request: which endpoint to call and where the model's manifest is."""

    job_id: str
    endpoint_name: str
    manifest_bucket: str
    manifest_key: str
    region: str | None = None
    continuation: str | None = None  # set on the later calls of an asynchronous endpoint's check


_REQUIRED = ("endpoint_name", "manifest_bucket", "manifest_key")


def parse_job(event: dict[str, Any]) -> SmokeTestJob:
    """Read the job id and the JSON UserParameters of a CodePipeline Lambda invoke event."""
    parameters = user_parameters(event, _REQUIRED)
    region = parameters.get("region")
    return SmokeTestJob(
        job_id=job_id_of(event),
        endpoint_name=parameters["endpoint_name"],
        manifest_bucket=parameters["manifest_bucket"],
        manifest_key=parameters["manifest_key"],
        region=region if isinstance(region, str) and region else None,
        continuation=continuation_token(event),
    )
