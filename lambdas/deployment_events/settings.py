"""Deployment-events settings: environment variable names (the CDK contract) and their parsed form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lambdas.common.environment import ENV_EVENT_BUS_NAME as ENV_EVENT_BUS_NAME
from lambdas.common.environment import ENV_TOPIC_ARN as ENV_TOPIC_ARN
from lambdas.common.environment import environment
from lambdas.common.pipeline_variables import ENV_PIPELINE_NAMES, parse_pipeline_names

__all__ = ["ENV_EVENT_BUS_NAME", "ENV_PIPELINE_NAMES", "ENV_TOPIC_ARN", "Settings", "load_settings"]


@dataclass(frozen=True)
class Settings:
    """Everything the deployment-events function needs from its environment, parsed once at cold start."""

    pipeline_names: frozenset[str]
    topic_arn: str
    event_bus_name: str


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Parse the environment (os.environ by default); missing names raise KeyError, bad JSON ValueError."""
    source = environment(env)
    return Settings(
        pipeline_names=frozenset(parse_pipeline_names(source[ENV_PIPELINE_NAMES]).values()),
        topic_arn=source[ENV_TOPIC_ARN],
        event_bus_name=source[ENV_EVENT_BUS_NAME],
    )
