"""Resolve-package settings: environment variable names (the CDK contract) and their parsed form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lambdas.common.environment import ENV_REGISTRY_BUCKET as ENV_REGISTRY_BUCKET
from lambdas.common.environment import environment


@dataclass(frozen=True)
class Settings:
    """Everything the resolve function needs from its environment, parsed once at cold start."""

    registry_bucket: str


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Parse the environment (os.environ by default); missing names raise KeyError."""
    return Settings(registry_bucket=environment(env)[ENV_REGISTRY_BUCKET])
