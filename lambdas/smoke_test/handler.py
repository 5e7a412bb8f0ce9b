"""Smoke-test function entry point: a CodePipeline Lambda invoke action → invoke the endpoint → job result."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from lambdas.common.function_runtime import FunctionRuntime

if TYPE_CHECKING:
    from lambdas.smoke_test.async_invoke import AsyncOptions
    from lambdas.smoke_test.service import Clients
    from lambdas.smoke_test.settings import Settings

# The clients depend on the endpoint's region, which each job names: see build_clients.
runtime: FunctionRuntime[Settings, None] = FunctionRuntime("smoke_test", clients=lambda _: None)


@cache
def build_clients(region: str, invoke_timeout_seconds: int) -> tuple[Clients, Any]:
    """(smoke-test clients, CodePipeline client); the runtime client never retries a timed-out call."""
    import boto3
    from botocore.config import Config

    from lambdas.smoke_test.service import Clients

    config = Config(
        read_timeout=invoke_timeout_seconds,
        connect_timeout=min(10, invoke_timeout_seconds),
        retries={"total_max_attempts": 1},
    )
    runtime_client = boto3.client("sagemaker-runtime", region_name=region, config=config)
    return Clients(s3=boto3.client("s3"), runtime=runtime_client), boto3.client("codepipeline")


def _async_options(settings: Settings) -> AsyncOptions | None:
    """How asynchronous endpoints are checked, or None when no payload bucket is configured."""
    from lambdas.smoke_test.async_invoke import AsyncOptions

    if settings.async_input_bucket is None:
        return None
    return AsyncOptions(settings.async_input_bucket, settings.async_timeout_seconds)


@runtime.handler
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Judge the endpoint and always give the CodePipeline job a result."""
    from lambdas.common.codepipeline_job import Verdict, answer_job, job_id_of
    from lambdas.smoke_test.job import parse_job
    from lambdas.smoke_test.service import run_smoke_test

    job_id = job_id_of(event)  # not a CodePipeline job: there is nobody to report to, so raise
    settings, _ = runtime.get()
    runtime.logger.append_keys(job_id=job_id)

    def smoke_test() -> Verdict:
        job = parse_job(event)
        clients, _ = build_clients(job.region or settings.region, settings.invoke_timeout_seconds)
        return run_smoke_test(job, clients, settings.max_response_bytes, _async_options(settings))

    _, codepipeline = build_clients(settings.region, settings.invoke_timeout_seconds)
    verdict = answer_job(codepipeline, job_id, smoke_test, runtime.logger, "the smoke test")
    runtime.logger.info("smoke test reported", extra={"passed": verdict.passed, "verdict": verdict.message})
    runtime.count("SmokeTestPassed" if verdict.passed else "SmokeTestFailed")
    return {"passed": verdict.passed, "message": verdict.message}
