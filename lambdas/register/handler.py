"""Register function entry point: S3 `Object Created` (manifest.json) → register or reject, exactly once;
CloudTrail's record of a put under models/ → who uploaded it (for separation of duties)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from lambdas.common.function_runtime import FunctionRuntime, boto3_clients

if TYPE_CHECKING:
    from lambdas.register.service import Clients
    from lambdas.register.settings import Settings

IDEMPOTENCY_TTL_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class Processor:
    """Registers one upload at most once per object version (Powertools idempotency on DynamoDB)."""

    config: Any  # IdempotencyConfig: given each invocation's context, so records expire with the function
    process: Callable[..., dict[str, Any]]
    clients: Clients


def _processor(settings: Settings) -> Processor:
    """The idempotent registration of one upload; repeated deliveries return the stored result."""
    from aws_lambda_powertools.utilities.idempotency import (
        DynamoDBPersistenceLayer,
        IdempotencyConfig,
        idempotent_function,
    )

    from lambdas.register.service import Clients, register_upload
    from lambdas.register.upload import Upload

    clients = boto3_clients(Clients)
    config = IdempotencyConfig(
        event_key_jmespath="[bucket, key, version_id]",
        expires_after_seconds=IDEMPOTENCY_TTL_SECONDS,
        raise_on_no_idempotency_key=True,
    )
    # Our DynamoDB client: Powertools would otherwise build a second session and load its models again.
    persistence = DynamoDBPersistenceLayer(
        table_name=settings.idempotency_table, boto3_client=clients.dynamodb
    )

    @idempotent_function(  # type: ignore[untyped-decorator]
        data_keyword_argument="upload", config=config, persistence_store=persistence
    )
    def process(upload: dict[str, Any]) -> dict[str, Any]:
        return register_upload(Upload(**upload), clients, settings, datetime.now(UTC)).to_dict()

    return Processor(config, process, clients)


runtime: FunctionRuntime[Settings, Processor] = FunctionRuntime("register", clients=_processor)


@runtime.handler
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Parse the event, process the upload once, record the outcome as a metric."""
    from lambdas.register.upload import parse_event
    from lambdas.register.upload_identity import is_cloudtrail_put

    if is_cloudtrail_put(event):
        return _record_uploader(event)
    upload = parse_event(event)
    runtime.logger.append_keys(bucket=upload.bucket, key=upload.key, object_version=upload.version_id)
    _, processor = runtime.get()
    processor.config.register_lambda_context(context)
    outcome = processor.process(upload=asdict(upload))
    problems = outcome["problem_count"]
    runtime.logger.info("upload processed", extra={"status": outcome["status"], "problems": problems})
    runtime.count(f"Upload_{outcome['status']}")
    return outcome


def _record_uploader(event: dict[str, Any]) -> dict[str, Any]:
    """Keep who made a put under models/ (sealed uploaders/ prefix); other puts are ignored."""
    from lambdas.common.uploaders import write_uploader
    from lambdas.register.upload_identity import parse_put

    settings, processor = runtime.get()
    record = parse_put(event, settings.registry_bucket)
    if record is None or not record.key.startswith("models/"):
        runtime.logger.info("put not recorded: failed, another bucket, or outside models/")
        return {"status": "ignored"}
    write_uploader(processor.clients.s3, settings.registry_bucket, record)
    runtime.logger.info("uploader recorded", extra={"request_id": record.request_id, "key": record.key})
    runtime.count("UploaderRecorded")
    return {"status": "uploader_recorded", "request_id": record.request_id}
