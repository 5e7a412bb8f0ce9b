"""The smoke test: read the manifest, invoke the endpoint with its payload, judge the response, report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError, ConnectTimeoutError, EndpointConnectionError, ReadTimeoutError

from lambdas.common.codepipeline_job import Verdict
from lambdas.smoke_test.async_invoke import AsyncOptions, Pending, collect, submit
from lambdas.smoke_test.job import SmokeTestJob
from lambdas.smoke_test.response_shape import shape_problems
from mlops_manifest import Manifest, validate_manifest
from mlops_manifest.inference import InferenceType
from mlops_manifest.monitoring import SmokeTest

# CodePipeline accepts failure messages of at most 5000 characters.


@dataclass(frozen=True)
class Clients:
    """The boto3 clients the smoke test uses (the CodePipeline client is the handler's)."""

    s3: Any
    runtime: Any


def run_smoke_test(
    job: SmokeTestJob, clients: Clients, max_response_bytes: int, async_options: AsyncOptions | None = None
) -> Verdict:
    """Pass when the endpoint answers the manifest's payload with the expected shape."""
    manifest = _load_manifest(job, clients.s3)
    if isinstance(manifest, Verdict):
        return manifest
    if manifest.smoke_test is None:
        return Verdict(True, f"{job.endpoint_name}: the manifest defines no smoke_test; nothing to check")
    if manifest.inference.type is InferenceType.ASYNC:
        answer = _invoke_async(job, manifest.smoke_test, clients, max_response_bytes, async_options)
    else:
        answer = _invoke(job.endpoint_name, manifest.smoke_test, clients.runtime, max_response_bytes)
    if isinstance(answer, Verdict):
        return answer
    problems = shape_problems(answer, manifest.smoke_test.expected_response)
    if problems:
        return Verdict(False, f"{job.endpoint_name}: wrong response shape: {'; '.join(problems)}")
    return Verdict(True, f"{job.endpoint_name}: answered the smoke-test payload with the expected shape")


def _load_manifest(job: SmokeTestJob, s3: Any) -> Manifest | Verdict:
    location = f"s3://{job.manifest_bucket}/{job.manifest_key}"
    try:
        raw = s3.get_object(Bucket=job.manifest_bucket, Key=job.manifest_key)["Body"].read()
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "Unknown")
        return Verdict(False, f"the manifest {location} could not be read ({code})", "ConfigurationError")
    result = validate_manifest(raw)
    if isinstance(result, list):
        problems = "; ".join(f"{p.path}: found {p.found}, allowed {p.allowed}" for p in result)
        return Verdict(False, f"the manifest {location} is invalid: {problems}", "ConfigurationError")
    return result


def _invoke_async(
    job: SmokeTestJob, test: SmokeTest, clients: Clients, max_bytes: int, options: AsyncOptions | None
) -> bytes | Verdict:
    """Submit on the job's first call; collect the answer on the calls CodePipeline makes after it."""
    if options is None:
        message = f"{job.endpoint_name}: no bucket for asynchronous payloads (ASYNC_INPUT_BUCKET unset)"
        return Verdict(False, message, "ConfigurationError")
    if job.continuation is None:
        return submit(job.endpoint_name, job.job_id, test, clients, options)
    return collect(job.endpoint_name, Pending.from_token(job.continuation), clients.s3, options, max_bytes)


def _invoke(endpoint_name: str, test: SmokeTest, runtime: Any, max_bytes: int) -> bytes | Verdict:
    try:
        response = runtime.invoke_endpoint(
            EndpointName=endpoint_name,
            ContentType=test.content_type,
            Accept=test.accept,
            Body=test.payload.encode("utf-8"),
        )
        body: bytes = response["Body"].read(max_bytes + 1)
    except ClientError as error:
        return Verdict(False, f"{endpoint_name}: {_describe(error)}")
    except (ReadTimeoutError, ConnectTimeoutError) as error:
        return Verdict(False, f"{endpoint_name}: no response in time ({type(error).__name__})")
    except EndpointConnectionError as error:
        return Verdict(
            False, f"{endpoint_name}: SageMaker Runtime unreachable ({error})", "SystemUnavailable"
        )
    if len(body) > max_bytes:
        return Verdict(False, f"{endpoint_name}: the response is larger than {max_bytes} bytes")
    return body


def _describe(error: ClientError) -> str:
    details = error.response.get("Error", {})
    code, message = details.get("Code", "Unknown"), details.get("Message", "")
    if code == "ModelError":
        status = error.response.get("OriginalStatusCode", "?")
        return f"the model returned an error (status {status}): {message}"
    return f"invoke_endpoint failed with {code}: {message}"
