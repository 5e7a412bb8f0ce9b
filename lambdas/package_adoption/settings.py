"""Package-adoption function settings: environment variable names (the CDK contract) and their parsed form."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from lambdas.common.environment import DEFAULT_MAX_ARTIFACT_BYTES, environment, split_names, whole_number
from lambdas.common.environment import ENV_MAX_ARTIFACT_BYTES as ENV_MAX_ARTIFACT_BYTES
from lambdas.common.environment import ENV_REGISTRY_BUCKET as ENV_REGISTRY_BUCKET
from lambdas.common.environment import ENV_TOPIC_ARN as ENV_TOPIC_ARN

# JSON: {package group: {"model_name", "owner", "serving"}} (config: adoption.groups).
ENV_GROUPS = "ADOPTED_GROUPS"
# "true": also adopt groups tagged mlops:adopt-as / mlops:owner (config: adoption.by_tag).
ENV_BY_TAG = "ADOPT_BY_TAG"
# Comma-separated buckets an adopted artifact may lie in (config: adoption.artifact_buckets).
ENV_ARTIFACT_BUCKETS = "ADOPTED_ARTIFACT_BUCKETS"
# Reports of refused packages, in the registry bucket beside the register function's own rejected/ reports.
REFUSALS_PREFIX = "rejected/adoption/"


@dataclass(frozen=True)
class Target:
    """Which of our models a group's packages become, who owns it, and its serving sections."""

    model_name: str
    owner: str
    serving: dict[str, object]


@dataclass(frozen=True)
class Settings:
    """Where versions are written and refusals told, which groups are adopted, where artifacts may lie."""

    registry_bucket: str
    topic_arn: str
    groups: dict[str, Target]
    by_tag: bool
    artifact_buckets: frozenset[str]
    max_artifact_bytes: int = DEFAULT_MAX_ARTIFACT_BYTES


def groups_json(groups: Mapping[str, Target]) -> str:
    """The ENV_GROUPS value for these targets (compact: Lambda's environment holds 4 KB in all)."""
    document = {
        name: {"model_name": t.model_name, "owner": t.owner, "serving": t.serving}
        for name, t in groups.items()
    }
    return json.dumps(document, separators=(",", ":"), sort_keys=True)


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Parse the environment (os.environ by default); missing required names raise KeyError."""
    source = environment(env)
    groups = {
        name: Target(str(t["model_name"]), str(t["owner"]), dict(t.get("serving", {})))
        for name, t in json.loads(source.get(ENV_GROUPS, "{}")).items()
    }
    return Settings(
        registry_bucket=source[ENV_REGISTRY_BUCKET],
        topic_arn=source[ENV_TOPIC_ARN],
        groups=groups,
        by_tag=source.get(ENV_BY_TAG, "false") == "true",
        artifact_buckets=frozenset(split_names(source.get(ENV_ARTIFACT_BUCKETS, ""))),
        max_artifact_bytes=whole_number(source, ENV_MAX_ARTIFACT_BYTES, Settings.max_artifact_bytes),
    )
