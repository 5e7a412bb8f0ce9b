"""Drift check settings: what every check reads, plus the event bus and scale-out (the CDK contract)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lambdas.common.environment import ENV_EVENT_BUS_NAME as ENV_EVENT_BUS_NAME
from lambdas.common.environment import ENV_REGION as ENV_REGION
from lambdas.common.environment import ENV_REPORTS_BUCKET as ENV_REPORTS_BUCKET
from lambdas.common.environment import ENV_SETTLE_SECONDS as ENV_SETTLE_SECONDS
from lambdas.common.environment import ENV_TOPIC_ARN as ENV_TOPIC_ARN
from lambdas.common.environment import CheckSettings, environment, load_check_settings, whole_number

ENV_SCALE_OUT_BYTES = "SCALE_OUT_BYTES"
ENV_PROCESSING_IMAGE_URI = "PROCESSING_IMAGE_URI"
ENV_PROCESSING_ROLE_ARN = "PROCESSING_ROLE_ARN"
ENV_PROCESSING_INSTANCE_TYPE = "PROCESSING_INSTANCE_TYPE"
ENV_PROCESSING_INSTANCE_COUNT = "PROCESSING_INSTANCE_COUNT"

DEFAULT_SCALE_OUT_BYTES = 256 * 1024**2
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
class Settings(CheckSettings):
    """Everything the drift check needs from its environment, parsed once at cold start."""

    event_bus_name: str
    scale_out_bytes: int
    processing: Processing


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Parse the environment (os.environ by default); missing required names raise KeyError."""
    source = environment(env)
    image = source.get(ENV_PROCESSING_IMAGE_URI, "")
    return Settings(
        **vars(load_check_settings(source)),
        event_bus_name=source[ENV_EVENT_BUS_NAME],
        scale_out_bytes=whole_number(source, ENV_SCALE_OUT_BYTES, DEFAULT_SCALE_OUT_BYTES, minimum=0),
        processing=Processing(
            image_uri=image,
            role_arn=source[ENV_PROCESSING_ROLE_ARN] if image else "",
            instance_type=source.get(ENV_PROCESSING_INSTANCE_TYPE, DEFAULT_INSTANCE_TYPE),
            instance_count=max(
                1, whole_number(source, ENV_PROCESSING_INSTANCE_COUNT, DEFAULT_INSTANCE_COUNT, minimum=0)
            ),
        ),
    )
