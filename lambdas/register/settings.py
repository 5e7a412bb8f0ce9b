"""Register function settings: environment variable names (the CDK contract) and their parsed form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lambdas.common.environment import DEFAULT_MAX_ARTIFACT_BYTES as DEFAULT_MAX_ARTIFACT_BYTES
from lambdas.common.environment import ENV_EVENT_BUS_NAME as ENV_EVENT_BUS_NAME
from lambdas.common.environment import ENV_MAX_ARTIFACT_BYTES as ENV_MAX_ARTIFACT_BYTES
from lambdas.common.environment import ENV_REGION as ENV_REGION
from lambdas.common.environment import ENV_REGISTRY_BUCKET as ENV_REGISTRY_BUCKET
from lambdas.common.environment import ENV_TOPIC_ARN as ENV_TOPIC_ARN
from lambdas.common.environment import environment, split_names, whole_number

ENV_REJECTED_PREFIX = "REJECTED_PREFIX"
ENV_IDEMPOTENCY_TABLE = "IDEMPOTENCY_TABLE_NAME"
ENV_MAX_UNCOMPRESSED_BYTES = "MAX_UNCOMPRESSED_BYTES"
ENV_MAX_MEMBERS = "MAX_ARCHIVE_MEMBERS"
ENV_MAX_BASELINE_BYTES = "MAX_BASELINE_BYTES"
# Comma-separated accounts whose ECR images manifests may name (config: registry.image_accounts).
ENV_IMAGE_ACCOUNTS = "ALLOWED_IMAGE_ACCOUNTS"

DEFAULT_REJECTED_PREFIX = "rejected/"
DEFAULT_MAX_UNCOMPRESSED_BYTES = 50 * 1024**3
DEFAULT_MAX_MEMBERS = 100_000
# Baselines are profiled in memory; larger ones are imported as Model Monitor statistics instead.
DEFAULT_MAX_BASELINE_BYTES = 64 * 1024**2


@dataclass(frozen=True)
class Limits:
    """Size limits an artifact (and the drift baseline) must respect."""

    max_artifact_bytes: int
    max_uncompressed_bytes: int
    max_members: int
    max_baseline_bytes: int = DEFAULT_MAX_BASELINE_BYTES


@dataclass(frozen=True)
class Settings:
    """Everything the register function needs from its environment, parsed once at cold start."""

    registry_bucket: str
    rejected_prefix: str
    topic_arn: str
    event_bus_name: str
    idempotency_table: str
    region: str
    limits: Limits
    image_accounts: tuple[str, ...] = ()


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Parse the environment (os.environ by default) into Settings; missing required names raise KeyError."""
    source = environment(env)
    prefix = source.get(ENV_REJECTED_PREFIX, DEFAULT_REJECTED_PREFIX)
    return Settings(
        registry_bucket=source[ENV_REGISTRY_BUCKET],
        rejected_prefix=prefix if prefix.endswith("/") else prefix + "/",
        topic_arn=source[ENV_TOPIC_ARN],
        event_bus_name=source[ENV_EVENT_BUS_NAME],
        idempotency_table=source[ENV_IDEMPOTENCY_TABLE],
        region=source[ENV_REGION],
        limits=Limits(
            max_artifact_bytes=whole_number(source, ENV_MAX_ARTIFACT_BYTES, DEFAULT_MAX_ARTIFACT_BYTES),
            max_uncompressed_bytes=whole_number(
                source, ENV_MAX_UNCOMPRESSED_BYTES, DEFAULT_MAX_UNCOMPRESSED_BYTES
            ),
            max_members=whole_number(source, ENV_MAX_MEMBERS, DEFAULT_MAX_MEMBERS),
            max_baseline_bytes=whole_number(source, ENV_MAX_BASELINE_BYTES, DEFAULT_MAX_BASELINE_BYTES),
        ),
        image_accounts=split_names(source.get(ENV_IMAGE_ACCOUNTS, "")),
    )
