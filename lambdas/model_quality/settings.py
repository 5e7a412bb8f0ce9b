"""Model quality settings: environment variable names (the CDK contract) and their parsed form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lambdas.common.environment import ENV_REPORTS_BUCKET as ENV_REPORTS_BUCKET
from lambdas.common.environment import ENV_TOPIC_ARN as ENV_TOPIC_ARN
from lambdas.common.environment import environment

ENV_SETTLE_SECONDS = "CAPTURE_SETTLE_SECONDS"
# Set by the Lambda runtime itself; listed so tests and local mode know what to provide.
ENV_REGION = "AWS_REGION"

DEFAULT_SETTLE_SECONDS = 60


@dataclass(frozen=True)
class Settings:
    """Everything the model-quality check needs from its environment, parsed once at cold start."""

    reports_bucket: str
    topic_arn: str
    region: str
    settle_seconds: int


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Parse the environment (os.environ by default); missing required names raise KeyError."""
    source = environment(env)
    settle = int(source.get(ENV_SETTLE_SECONDS, str(DEFAULT_SETTLE_SECONDS)))
    if settle < 0:
        raise ValueError(f"{ENV_SETTLE_SECONDS} must be a non-negative integer, got {settle}")
    return Settings(source[ENV_REPORTS_BUCKET], source[ENV_TOPIC_ARN], source[ENV_REGION], settle)
