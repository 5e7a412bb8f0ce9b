"""Start-deployment function entry point: ModelRegistered → the deployment pipeline of its inference type."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="start_deployment")
metrics = Metrics(namespace="MLOpsOrchestrator", service="start_deployment")


@cache
def _runtime() -> tuple[Any, Any]:
    """Settings and clients, built once per execution environment."""
    # Tracing is Lambda's active X-Ray tracing; the X-Ray SDK is not bundled.
    import boto3

    from lambdas.start_deployment.service import Clients
    from lambdas.start_deployment.settings import load_settings

    clients = Clients(*(boto3.client(name) for name in ("codepipeline", "sns", "events")))
    return load_settings(), clients


def reset_runtime() -> None:
    """Forget the cached runtime (tests and local mode switch environments)."""
    _runtime.cache_clear()


@logger.inject_lambda_context(log_event=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Start the pipeline for the registered model; an undeployable detail is reported, not dropped."""
    from lambdas.start_deployment.request import parse_event
    from lambdas.start_deployment.service import start_deployment

    detail = parse_event(event)
    logger.append_keys(model_package_arn=detail.get("model_package_arn"))
    settings, clients = _runtime()
    outcome = start_deployment(detail, clients, settings, datetime.now(UTC))
    if outcome.status == "failed":
        logger.error("deployment not started", extra={"reason": outcome.reason})
    else:
        logger.info("deployment handled", extra=outcome.to_dict())
    metrics.add_metric(name=f"Deployment_{outcome.status}", unit=MetricUnit.Count, value=1)
    return outcome.to_dict()
