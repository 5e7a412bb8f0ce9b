"""Reading a function's environment: shared names and checks' settings, whole numbers with a lower bound."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

# Names several functions share; each settings module re-exports the ones it reads, and the constructs set
# them through those modules.
ENV_TOPIC_ARN = "NOTIFICATION_TOPIC_ARN"
ENV_EVENT_BUS_NAME = "EVENT_BUS_NAME"
ENV_REGISTRY_BUCKET = "REGISTRY_BUCKET_NAME"
# The checks that write reports (drift check, model quality) and wait for capture objects to settle.
ENV_REPORTS_BUCKET = "REPORTS_BUCKET_NAME"
ENV_SETTLE_SECONDS = "CAPTURE_SETTLE_SECONDS"
# Capture objects younger than this are left for the next run, so a late-listed object is not skipped.
DEFAULT_SETTLE_SECONDS = 60
# The registry's artifact size cap (config: registry.max_artifact_mib), in bytes.
ENV_MAX_ARTIFACT_BYTES = "MAX_ARTIFACT_BYTES"
DEFAULT_MAX_ARTIFACT_BYTES = 10 * 1024**3
# Set by the Lambda runtime itself; listed so tests and local mode know what to provide.
ENV_REGION = "AWS_REGION"


def environment(env: Mapping[str, str] | None) -> Mapping[str, str]:
    """The given variables, or the process environment when none are given (the deployed case)."""
    return os.environ if env is None else env


def whole_number(env: Mapping[str, str], name: str, default: int, *, minimum: int = 1) -> int:
    """An integer variable at least `minimum` (positive by default); the default when unset."""
    value = int(env.get(name, str(default)))
    if value < minimum:
        raise ValueError(f"{name} must be an integer of at least {minimum}, got {value}")
    return value


def split_names(raw: str) -> tuple[str, ...]:
    """The names of a comma-separated variable, in order, blanks around them and empty ones dropped."""
    return tuple(part.strip() for part in raw.split(",") if part.strip())


@dataclass(frozen=True)
class CheckSettings:
    """What every report-writing check (drift check, model quality) reads from its environment."""

    reports_bucket: str
    topic_arn: str
    region: str
    settle_seconds: int


def load_check_settings(env: Mapping[str, str] | None = None) -> CheckSettings:
    """Parse the names every check shares (os.environ by default); missing names raise KeyError."""
    source = environment(env)
    return CheckSettings(
        reports_bucket=source[ENV_REPORTS_BUCKET],
        topic_arn=source[ENV_TOPIC_ARN],
        region=source[ENV_REGION],
        settle_seconds=whole_number(source, ENV_SETTLE_SECONDS, DEFAULT_SETTLE_SECONDS, minimum=0),
    )
