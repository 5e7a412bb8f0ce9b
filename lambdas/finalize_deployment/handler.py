"""Finalize function entry point: a CodePipeline invoke action after production → approve, tag, announce."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="finalize_deployment")
metrics = Metrics(namespace="MLOpsOrchestrator", service="finalize_deployment")


@cache
def build_runtime() -> tuple[Any, Any, Any]:
    """(settings, finalize clients, CodePipeline client), built once per execution environment."""
    # Tracing is Lambda's active X-Ray tracing; the X-Ray SDK is not bundled.
    import boto3

    from lambdas.finalize_deployment.service import Clients
    from lambdas.finalize_deployment.settings import load_settings

    codepipeline = boto3.client("codepipeline")
    clients = Clients(boto3.client("sagemaker"), boto3.client("sns"), boto3.client("events"), codepipeline)
    return load_settings(), clients, codepipeline


@logger.inject_lambda_context(log_event=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Finalize the deployment and always give the CodePipeline job a result."""
    from lambdas.common.codepipeline_job import JobParametersError, Verdict, job_id_of, report
    from lambdas.finalize_deployment.job import parse_job
    from lambdas.finalize_deployment.service import finalize

    job_id = job_id_of(event)  # not a CodePipeline job: there is nobody to report to, so raise
    logger.append_keys(job_id=job_id)
    settings, clients, codepipeline = build_runtime()
    try:
        verdict = finalize(parse_job(event), clients, settings, datetime.now(UTC))
    except JobParametersError as error:
        verdict = Verdict(False, str(error), "ConfigurationError")
    except Exception as error:  # the job must get a result whatever went wrong
        logger.exception("finalize crashed")
        verdict = Verdict(False, f"finalize crashed ({type(error).__name__}); see the function's logs")
    report(codepipeline, job_id, verdict)
    logger.info("finalize reported", extra={"passed": verdict.passed, "verdict": verdict.message})
    metrics.add_metric(
        name="DeploymentFinalized" if verdict.passed else "FinalizeFailed", unit=MetricUnit.Count, value=1
    )
    return {"passed": verdict.passed, "message": verdict.message}
