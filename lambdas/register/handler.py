"""Register function entry point: S3 `Object Created` (manifest.json) → register or reject, exactly once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="register")
metrics = Metrics(namespace="MLOpsOrchestrator", service="register")

IDEMPOTENCY_TTL_SECONDS = 7 * 24 * 3600


@cache
def _runtime() -> tuple[Any, Callable[..., dict[str, Any]]]:
    """Build settings, clients and the idempotent processor once per execution environment."""
    # Deferred imports: the handler module stays cheap to import; these are paid once per cold start.
    # Tracing is Lambda's active X-Ray tracing; the X-Ray SDK (0.4 s to import) is not bundled.
    import boto3
    from aws_lambda_powertools.utilities.idempotency import (
        DynamoDBPersistenceLayer,
        IdempotencyConfig,
        idempotent_function,
    )

    from lambdas.register.service import Clients, register_upload
    from lambdas.register.settings import load_settings
    from lambdas.register.upload import Upload

    settings = load_settings()
    clients = Clients(*(boto3.client(name) for name in ("s3", "sagemaker", "sns", "events", "dynamodb")))
    config = IdempotencyConfig(
        event_key_jmespath="[bucket, key, version_id]",
        expires_after_seconds=IDEMPOTENCY_TTL_SECONDS,
        raise_on_no_idempotency_key=True,
    )
    persistence = DynamoDBPersistenceLayer(table_name=settings.idempotency_table)

    @idempotent_function(  # type: ignore[untyped-decorator]
        data_keyword_argument="upload", config=config, persistence_store=persistence
    )
    def process(upload: dict[str, Any]) -> dict[str, Any]:
        """Handle one upload; repeated deliveries of the same object version return the stored result."""
        return register_upload(Upload(**upload), clients, settings, datetime.now(UTC)).to_dict()

    return config, process


def reset_runtime() -> None:
    """Forget the cached runtime (tests and local mode switch environments)."""
    _runtime.cache_clear()


@logger.inject_lambda_context(log_event=False)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Parse the event, process the upload once, record the outcome as a metric."""
    from lambdas.register.upload import parse_event

    upload = parse_event(event)
    logger.append_keys(bucket=upload.bucket, key=upload.key, object_version=upload.version_id)
    config, process = _runtime()
    config.register_lambda_context(context)
    outcome = process(upload=asdict(upload))
    logger.info("upload processed", extra={"status": outcome["status"], "problems": outcome["problem_count"]})
    metrics.add_metric(name=f"Upload_{outcome['status']}", unit=MetricUnit.Count, value=1)
    return outcome
