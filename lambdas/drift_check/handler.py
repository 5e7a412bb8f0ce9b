"""Drift check entry point: one endpoint's EventBridge Scheduler input -> drift report and alarms."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="drift_check")
metrics = Metrics(namespace="MLOpsOrchestrator", service="drift_check")


@cache
def _runtime() -> tuple[Any, Any]:
    """Build settings and clients once per execution environment."""
    # Deferred imports keep the module cheap to import; the X-Ray SDK is not bundled (active tracing).
    import boto3

    from lambdas.drift_check.service import Clients
    from lambdas.drift_check.settings import load_settings

    names = ("s3", "sagemaker", "cloudwatch", "sns", "events")
    return load_settings(), Clients(*(boto3.client(name) for name in names))


def reset_runtime() -> None:
    """Forget the cached runtime (tests and local mode switch environments)."""
    _runtime.cache_clear()


@logger.inject_lambda_context(log_event=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Validate the schedule input, run one check, record the outcome."""
    from lambdas.drift_check.request import parse_request
    from lambdas.drift_check.service import run_drift_check

    request = parse_request(event)
    logger.append_keys(endpoint=request.endpoint_name, variant=request.variant_name)
    settings, clients = _runtime()
    outcome = run_drift_check(request, clients, settings, datetime.now(UTC))
    logger.info("drift check finished", extra=outcome.to_dict())
    metrics.add_metric(name=f"DriftCheck_{outcome.status}", unit=MetricUnit.Count, value=1)
    return outcome.to_dict()
