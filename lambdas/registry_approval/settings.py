"""Registry-approval settings: environment variable names (the CDK contract) and their parsed form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lambdas.common.environment import ENV_REGISTRY_BUCKET as ENV_REGISTRY_BUCKET
from lambdas.common.environment import ENV_TOPIC_ARN as ENV_TOPIC_ARN
from lambdas.common.environment import environment
from lambdas.common.pipeline_variables import ENV_PIPELINE_NAMES, parse_pipeline_names

# The pipeline stage holding the approval, as CodePipeline names it (DeploymentPipeline capitalizes it).
ENV_APPROVAL_STAGE_NAME = "APPROVAL_STAGE_NAME"
__all__ = [
    "ENV_APPROVAL_STAGE_NAME",
    "ENV_PIPELINE_NAMES",
    "ENV_REGISTRY_BUCKET",
    "ENV_TOPIC_ARN",
    "Settings",
    "load_settings",
]


@dataclass(frozen=True)
class Settings:
    """Everything the registry-approval function needs from its environment, parsed once at cold start."""

    pipeline_names: tuple[str, ...]
    approval_stage: str
    topic_arn: str  # where a refused self-approval is announced
    registry_bucket: str  # holds the registration and uploader records (separation of duties)


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Parse the environment (os.environ by default); missing names raise KeyError, bad values ValueError."""
    source = environment(env)
    stage = source[ENV_APPROVAL_STAGE_NAME].strip()
    if not stage:
        raise ValueError(f"{ENV_APPROVAL_STAGE_NAME} is empty")
    names = parse_pipeline_names(source[ENV_PIPELINE_NAMES]).values()
    return Settings(
        pipeline_names=tuple(dict.fromkeys(names)),
        approval_stage=stage,
        topic_arn=source[ENV_TOPIC_ARN],
        registry_bucket=source[ENV_REGISTRY_BUCKET],
    )
