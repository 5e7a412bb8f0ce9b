"""Smoke-test function entry point: a CodePipeline Lambda invoke action → invoke the endpoint → job result."""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="smoke_test")
metrics = Metrics(namespace="MLOpsOrchestrator", service="smoke_test")


@cache
def _settings() -> Any:
    """Settings, parsed once per execution environment."""
    from lambdas.smoke_test.settings import load_settings

    return load_settings()


@cache
def build_clients(region: str, invoke_timeout_seconds: int) -> tuple[Any, Any]:
    """(smoke-test clients, CodePipeline client); the runtime client never retries a timed-out call."""
    import boto3
    from botocore.config import Config

    from lambdas.smoke_test.service import Clients

    config = Config(
        read_timeout=invoke_timeout_seconds,
        connect_timeout=min(10, invoke_timeout_seconds),
        retries={"total_max_attempts": 1},
    )
    runtime = boto3.client("sagemaker-runtime", region_name=region, config=config)
    return Clients(s3=boto3.client("s3"), runtime=runtime), boto3.client("codepipeline")


def _async_options(settings: Any) -> Any:
    """How asynchronous endpoints are checked, or None when no payload bucket is configured."""
    from lambdas.smoke_test.async_invoke import AsyncOptions

    if settings.async_input_bucket is None:
        return None
    return AsyncOptions(settings.async_input_bucket, settings.async_timeout_seconds)


@logger.inject_lambda_context(log_event=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Judge the endpoint and always give the CodePipeline job a result."""
    from lambdas.common.codepipeline_job import JobParametersError, Verdict, job_id_of, report
    from lambdas.smoke_test.job import parse_job
    from lambdas.smoke_test.service import run_smoke_test

    job_id = job_id_of(event)  # not a CodePipeline job: there is nobody to report to, so raise
    settings = _settings()
    logger.append_keys(job_id=job_id)
    try:
        job = parse_job(event)
        clients, _ = build_clients(job.region or settings.region, settings.invoke_timeout_seconds)
        verdict = run_smoke_test(job, clients, settings.max_response_bytes, _async_options(settings))
    except JobParametersError as error:
        verdict = Verdict(False, str(error), "ConfigurationError")
    except Exception as error:  # the job must get a result whatever went wrong
        logger.exception("smoke test crashed")
        verdict = Verdict(False, f"the smoke test crashed ({type(error).__name__}); see the function's logs")
    _, codepipeline = build_clients(settings.region, settings.invoke_timeout_seconds)
    report(codepipeline, job_id, verdict)
    logger.info("smoke test reported", extra={"passed": verdict.passed, "verdict": verdict.message})
    metrics.add_metric(
        name="SmokeTestPassed" if verdict.passed else "SmokeTestFailed", unit=MetricUnit.Count, value=1
    )
    return {"passed": verdict.passed, "message": verdict.message}
