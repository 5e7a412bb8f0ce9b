"""Provisioning API settings: environment variable names (the CDK contract) and their parsed form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from lambdas.common.environment import DEFAULT_MAX_ARTIFACT_BYTES, environment, split_names, whole_number
from lambdas.common.environment import ENV_REGION as ENV_REGION
from lambdas.common.environment import ENV_REGISTRY_BUCKET as ENV_REGISTRY_BUCKET
from lambdas.common.environment import ENV_REPORTS_BUCKET as ENV_REPORTS_BUCKET
from lambdas.common.environment import ENV_TOPIC_ARN as ENV_TOPIC_ARN
from lambdas.common.pipeline_variables import ENV_PIPELINE_NAMES as ENV_PIPELINE_NAMES
from lambdas.common.pipeline_variables import parse_pipeline_names
from lambdas.register.settings import ENV_IMAGE_ACCOUNTS as ENV_IMAGE_ACCOUNTS
from lambdas.register.settings import ENV_MAX_ARTIFACT_BYTES as ENV_MAX_ARTIFACT_BYTES
from lambdas.registry_approval.settings import ENV_APPROVAL_STAGE_NAME as ENV_APPROVAL_STAGE_NAME
from mlops_manifest.inference import InferenceType

# Comma-separated deployment stages, in pipeline order (config: stages).
ENV_STAGE_NAMES = "STAGE_NAMES"
# Comma-separated stage=account pairs of the stages deployed in other accounts (multi-account configs).
ENV_REMOTE_STAGES = "REMOTE_STAGE_ACCOUNTS"
# How long a pre-signed upload URL stays valid.
ENV_UPLOAD_URL_SECONDS = "UPLOAD_URL_SECONDS"
DEFAULT_UPLOAD_URL_SECONDS = 900


@dataclass(frozen=True)
class Settings:
    """Everything the provisioning API needs from its environment, parsed once at cold start."""

    registry_bucket: str
    reports_bucket: str
    topic_arn: str
    pipeline_names: Mapping[InferenceType, str]
    approval_stage: str  # the pipeline stage holding the production approval ("Production")
    stages: tuple[str, ...]
    region: str
    max_artifact_bytes: int
    image_accounts: tuple[str, ...] = ()
    upload_url_seconds: int = DEFAULT_UPLOAD_URL_SECONDS
    remote_accounts: Mapping[str, str] = field(default_factory=dict)  # stage -> the account it deploys to


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Parse the environment (os.environ by default); missing names raise KeyError, bad values ValueError."""
    source = environment(env)
    stages = split_names(source[ENV_STAGE_NAMES])
    if not stages:
        raise ValueError(f"{ENV_STAGE_NAMES} names no stage")
    return Settings(
        registry_bucket=source[ENV_REGISTRY_BUCKET],
        reports_bucket=source[ENV_REPORTS_BUCKET],
        topic_arn=source[ENV_TOPIC_ARN],
        pipeline_names=parse_pipeline_names(source[ENV_PIPELINE_NAMES]),
        approval_stage=source[ENV_APPROVAL_STAGE_NAME],
        stages=stages,
        region=source[ENV_REGION],
        max_artifact_bytes=whole_number(source, ENV_MAX_ARTIFACT_BYTES, DEFAULT_MAX_ARTIFACT_BYTES),
        image_accounts=split_names(source.get(ENV_IMAGE_ACCOUNTS, "")),
        upload_url_seconds=whole_number(source, ENV_UPLOAD_URL_SECONDS, DEFAULT_UPLOAD_URL_SECONDS),
        remote_accounts=dict(pair.split("=", 1) for pair in split_names(source.get(ENV_REMOTE_STAGES, ""))),
    )
