"""Drift check settings: environment variable names (the CDK contract) and their parsed form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lambdas.common.environment import environment, whole_number

ENV_REPORTS_BUCKET = "REPORTS_BUCKET_NAME"
ENV_TOPIC_ARN = "NOTIFICATION_TOPIC_ARN"
ENV_EVENT_BUS_NAME = "EVENT_BUS_NAME"
ENV_SCALE_OUT_BYTES = "SCALE_OUT_BYTES"
ENV_SETTLE_SECONDS = "CAPTURE_SETTLE_SECONDS"
ENV_PROCESSING_IMAGE_URI = "PROCESSING_IMAGE_URI"
ENV_PROCESSING_ROLE_ARN = "PROCESSING_ROLE_ARN"
ENV_PROCESSING_INSTANCE_TYPE = "PROCESSING_INSTANCE_TYPE"
ENV_PROCESSING_INSTANCE_COUNT = "PROCESSING_INSTANCE_COUNT"
# Set by the Lambda runtime itself; listed so tests and local mode know what to provide.
ENV_REGION = "AWS_REGION"

DEFAULT_SCALE_OUT_BYTES = 256 * 1024**2
# Capture objects younger than this are left for the next run, so a late-listed object is not skipped.
DEFAULT_SETTLE_SECONDS = 60
DEFAULT_INSTANCE_TYPE = "ml.m5.xlarge"
DEFAULT_INSTANCE_COUNT = 2


@dataclass(frozen=True)
class Processing:
    """Where and how the scale-out SageMaker Processing job runs; image_uri empty = never scale out."""

    image_uri: str
    role_arn: str
    instance_type: str
    instance_count: int


@dataclass(frozen=True)
class Settings:
    """Everything the drift check needs from its environment, parsed once at cold start."""

    reports_bucket: str
    topic_arn: str
    event_bus_name: str
    region: str
    scale_out_bytes: int
    settle_seconds: int
    processing: Processing


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Parse the environment (os.environ by default); missing required names raise KeyError."""
    source = environment(env)
    image = source.get(ENV_PROCESSING_IMAGE_URI, "")
    return Settings(
        reports_bucket=source[ENV_REPORTS_BUCKET],
        topic_arn=source[ENV_TOPIC_ARN],
        event_bus_name=source[ENV_EVENT_BUS_NAME],
        region=source[ENV_REGION],
        scale_out_bytes=whole_number(source, ENV_SCALE_OUT_BYTES, DEFAULT_SCALE_OUT_BYTES, minimum=0),
        settle_seconds=whole_number(source, ENV_SETTLE_SECONDS, DEFAULT_SETTLE_SECONDS, minimum=0),
        processing=Processing(
            image_uri=image,
            role_arn=source[ENV_PROCESSING_ROLE_ARN] if image else "",
            instance_type=source.get(ENV_PROCESSING_INSTANCE_TYPE, DEFAULT_INSTANCE_TYPE),
            instance_count=max(
                1, whole_number(source, ENV_PROCESSING_INSTANCE_COUNT, DEFAULT_INSTANCE_COUNT, minimum=0)
            ),
        ),
    )
