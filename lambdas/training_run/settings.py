"""Training-run function settings: environment variable names (the CDK contract) and their parsed form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lambdas.common.environment import ENV_REGION as ENV_REGION
from lambdas.common.environment import ENV_REGISTRY_BUCKET as ENV_REGISTRY_BUCKET
from lambdas.common.environment import ENV_REPORTS_BUCKET as ENV_REPORTS_BUCKET
from lambdas.common.environment import environment, whole_number

# Held-out data is read into memory (features for the transform, labels for the metric): this caps it.
ENV_MAX_HELD_OUT_BYTES = "MAX_HELD_OUT_BYTES"
DEFAULT_MAX_HELD_OUT_BYTES = 256 * 1024**2


@dataclass(frozen=True)
class Settings:
    """Where runs write (reports bucket), where they publish (registry bucket), the region and a size cap."""

    reports_bucket: str
    registry_bucket: str
    region: str
    max_held_out_bytes: int = DEFAULT_MAX_HELD_OUT_BYTES


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Parse the environment (os.environ by default); missing required names raise KeyError."""
    source = environment(env)
    return Settings(
        reports_bucket=source[ENV_REPORTS_BUCKET],
        registry_bucket=source[ENV_REGISTRY_BUCKET],
        region=source[ENV_REGION],
        max_held_out_bytes=whole_number(source, ENV_MAX_HELD_OUT_BYTES, DEFAULT_MAX_HELD_OUT_BYTES),
    )
