"""Finalize-deployment settings: environment variable names (the CDK contract) and their parsed form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lambdas.common.environment import ENV_EVENT_BUS_NAME as ENV_EVENT_BUS_NAME
from lambdas.common.environment import ENV_TOPIC_ARN as ENV_TOPIC_ARN
from lambdas.common.environment import environment


@dataclass(frozen=True)
class Settings:
    """Everything the finalize function needs from its environment, parsed once at cold start."""

    topic_arn: str
    event_bus_name: str


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Parse the environment (os.environ by default); missing names raise KeyError."""
    source = environment(env)
    return Settings(topic_arn=source[ENV_TOPIC_ARN], event_bus_name=source[ENV_EVENT_BUS_NAME])
