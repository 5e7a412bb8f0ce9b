"""Deployment-events entry point: failed executions and endpoint rollbacks → events and notifications."""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="deployment_events")
metrics = Metrics(namespace="MLOpsOrchestrator", service="deployment_events")


@cache
def _runtime() -> tuple[Any, Any]:
    """Settings and clients, built once per execution environment."""
    # Tracing is Lambda's active X-Ray tracing; the X-Ray SDK is not bundled.
    import boto3

    from lambdas.deployment_events.service import Clients
    from lambdas.deployment_events.settings import load_settings

    clients = Clients(*(boto3.client(name) for name in ("codepipeline", "sns", "events")))
    return load_settings(), clients


def reset_runtime() -> None:
    """Forget the cached runtime (tests and local mode switch environments)."""
    _runtime.cache_clear()


@logger.inject_lambda_context(log_event=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Report one deployment event; events that are not about our deployments are ignored."""
    from lambdas.deployment_events.service import handle

    logger.append_keys(source=event.get("source"), detail_type=event.get("detail-type"))
    settings, clients = _runtime()
    outcome = handle(event, clients, settings)
    logger.info("deployment event handled", extra={"status": outcome.status, "detail": outcome.detail})
    if outcome.status != "ignored":
        metrics.add_metric(name=f"Deployment_{outcome.status}", unit=MetricUnit.Count, value=1)
    return {"status": outcome.status}
