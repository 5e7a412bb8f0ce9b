"""Smoke-test function settings: environment variable names (the CDK contract) and their parsed form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lambdas.common.environment import ENV_REGION as ENV_REGION
from lambdas.common.environment import environment, whole_number

ENV_INVOKE_TIMEOUT_SECONDS = "INVOKE_TIMEOUT_SECONDS"
ENV_MAX_RESPONSE_BYTES = "MAX_RESPONSE_BYTES"
# Asynchronous endpoints: the bucket their smoke-test payloads are written to (under async-input/), and
# how long their answer may take (a scaled-in endpoint starts an instance first).
ENV_ASYNC_INPUT_BUCKET = "ASYNC_INPUT_BUCKET"
ENV_ASYNC_TIMEOUT_SECONDS = "ASYNC_TIMEOUT_SECONDS"
ASYNC_INPUT_PREFIX = "async-input/"

DEFAULT_INVOKE_TIMEOUT_SECONDS = 30
DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024
DEFAULT_ASYNC_TIMEOUT_SECONDS = 1200


@dataclass(frozen=True)
class Settings:
    """Everything the smoke-test function needs from its environment, parsed once at cold start."""

    invoke_timeout_seconds: int
    max_response_bytes: int
    region: str  # set by the Lambda runtime; the endpoint's region when UserParameters name none
    async_input_bucket: str | None
    async_timeout_seconds: int


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Parse the environment (os.environ by default) into Settings."""
    source = environment(env)
    return Settings(
        invoke_timeout_seconds=whole_number(
            source, ENV_INVOKE_TIMEOUT_SECONDS, DEFAULT_INVOKE_TIMEOUT_SECONDS
        ),
        max_response_bytes=whole_number(source, ENV_MAX_RESPONSE_BYTES, DEFAULT_MAX_RESPONSE_BYTES),
        region=source[ENV_REGION],
        async_input_bucket=source.get(ENV_ASYNC_INPUT_BUCKET) or None,
        async_timeout_seconds=whole_number(source, ENV_ASYNC_TIMEOUT_SECONDS, DEFAULT_ASYNC_TIMEOUT_SECONDS),
    )
