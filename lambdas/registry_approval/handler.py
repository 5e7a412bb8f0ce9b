"""Registry-approval entry point: a package approved or rejected in the registry → the pipeline's approval."""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="registry_approval")
metrics = Metrics(namespace="MLOpsOrchestrator", service="registry_approval")


@cache
def _runtime() -> tuple[Any, Any]:
    """Settings and clients, built once per execution environment."""
    # Tracing is Lambda's active X-Ray tracing; the X-Ray SDK is not bundled.
    import boto3

    from lambdas.registry_approval.service import Clients
    from lambdas.registry_approval.settings import load_settings

    return load_settings(), Clients(boto3.client("codepipeline"))


def reset_runtime() -> None:
    """Forget the cached runtime (tests and local mode switch environments)."""
    _runtime.cache_clear()


@logger.inject_lambda_context(log_event=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Answer the pending approval of the decided package; other events and idle pipelines are no error."""
    from lambdas.registry_approval.service import decide

    logger.append_keys(source=event.get("source"), detail_type=event.get("detail-type"))
    settings, clients = _runtime()
    outcome = decide(event, clients, settings)
    if outcome.status == "failed":
        logger.error("registry decision not passed on", extra=outcome.to_dict())
    else:
        logger.info("registry decision handled", extra=outcome.to_dict())
    if outcome.status != "ignored":
        metrics.add_metric(name=f"RegistryApproval_{outcome.status}", unit=MetricUnit.Count, value=1)
    return outcome.to_dict()
