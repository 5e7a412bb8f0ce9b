"""Regional-artifact settings: environment variable names (the CDK contract) and their parsed form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lambdas.common.environment import ENV_REGION as ENV_REGION
from lambdas.common.environment import environment, whole_number

# The stage account's regional artifact bucket, and the tooling region the sealed artifacts are read from.
ENV_ARTIFACT_BUCKET = "REGIONAL_ARTIFACT_BUCKET"
ENV_SOURCE_REGION = "SOURCE_REGION"
ENV_PART_MIB = "COPY_PART_MIB"
# Parts of 64 MiB: 320 parts for the largest artifact allowed with remote regions (S3 allows 10,000).
DEFAULT_PART_MIB = 64
_MIB = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    """Where copies go, where they come from, and the size of each uploaded part."""

    artifact_bucket: str
    region: str
    source_region: str
    part_bytes: int


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Parse the environment (os.environ by default); missing names raise KeyError."""
    source = environment(env)
    # S3 refuses parts under 5 MiB (except the last).
    part_mib = whole_number(source, ENV_PART_MIB, DEFAULT_PART_MIB, minimum=5)
    return Settings(
        artifact_bucket=source[ENV_ARTIFACT_BUCKET],
        region=source[ENV_REGION],
        source_region=source[ENV_SOURCE_REGION],
        part_bytes=part_mib * _MIB,
    )
