"""Model-quality entry point: one endpoint's EventBridge Scheduler input -> quality report and alarms."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="model_quality")
metrics = Metrics(namespace="MLOpsOrchestrator", service="model_quality")


@cache
def _runtime() -> tuple[Any, Any]:
    """Build settings and clients once per execution environment."""
    # Deferred imports keep the module cheap to import; the X-Ray SDK is not bundled (active tracing).
    import boto3

    from lambdas.model_quality.service import Clients
    from lambdas.model_quality.settings import load_settings

    return load_settings(), Clients(*(boto3.client(name) for name in ("s3", "cloudwatch", "sns")))


def reset_runtime() -> None:
    """Forget the cached runtime (tests and local mode switch environments)."""
    _runtime.cache_clear()


@logger.inject_lambda_context(log_event=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Resolve the request (from the model's manifest or given in full), run one check, record the outcome."""
    from lambdas.model_quality.manifest_input import resolve_request
    from lambdas.model_quality.service import run_quality_check

    settings, clients = _runtime()
    logger.append_keys(endpoint=event.get("endpoint_name") if isinstance(event, dict) else None)
    request = resolve_request(event, clients.s3)
    if request is None:
        outcome: dict[str, Any] = {"status": "not_configured", "matched": 0, "report_key": None}
    else:
        outcome = run_quality_check(request, clients, settings, datetime.now(UTC))
    logger.info("model quality check finished", extra=outcome)
    metrics.add_metric(name=f"QualityCheck_{outcome['status']}", unit=MetricUnit.Count, value=1)
    return outcome
