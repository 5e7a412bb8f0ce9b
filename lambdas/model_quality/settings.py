"""Model quality settings: what every report-writing check reads, plus the event bus (the CDK contract)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lambdas.common.environment import ENV_EVENT_BUS_NAME as ENV_EVENT_BUS_NAME
from lambdas.common.environment import ENV_REGION as ENV_REGION
from lambdas.common.environment import ENV_REPORTS_BUCKET as ENV_REPORTS_BUCKET
from lambdas.common.environment import ENV_SETTLE_SECONDS as ENV_SETTLE_SECONDS
from lambdas.common.environment import ENV_TOPIC_ARN as ENV_TOPIC_ARN
from lambdas.common.environment import CheckSettings, environment, load_check_settings


@dataclass(frozen=True)
class Settings(CheckSettings):
    """Everything the model-quality check needs from its environment, parsed once at cold start."""

    event_bus_name: str


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Parse the environment (os.environ by default); missing required names raise KeyError."""
    source = environment(env)
    return Settings(**vars(load_check_settings(source)), event_bus_name=source[ENV_EVENT_BUS_NAME])
