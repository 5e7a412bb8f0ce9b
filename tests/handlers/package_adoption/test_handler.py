"""The adoption function's entry point and environment contract."""

from __future__ import annotations

import json

import pytest

from lambdas.package_adoption import handler
from lambdas.package_adoption import settings as s
from tests.handlers.fakes import FakeContext
from tests.handlers.package_adoption.conftest import TEAM_BUCKET, TEAM_GROUP, Team


def test_settings_read_back_what_the_construct_writes() -> None:
    groups = {"g": s.Target("m", "o@example.com", {"deployment": {"strategy": "linear"}})}
    env = {
        s.ENV_REGISTRY_BUCKET: "registry",
        s.ENV_TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:t",
        s.ENV_GROUPS: s.groups_json(groups),
        s.ENV_BY_TAG: "true",
        s.ENV_ARTIFACT_BUCKETS: "a,b",
    }

    loaded = s.load_settings(env)

    assert loaded.groups == groups and loaded.by_tag is True
    assert loaded.artifact_buckets == frozenset({"a", "b"})


def test_the_handler_adopts_the_event_s_package(team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    arn = team.package()
    for name, value in {
        s.ENV_REGISTRY_BUCKET: team.settings.registry_bucket,
        s.ENV_TOPIC_ARN: team.settings.topic_arn,
        s.ENV_GROUPS: s.groups_json(team.settings.groups),
        s.ENV_ARTIFACT_BUCKETS: TEAM_BUCKET,
    }.items():
        monkeypatch.setenv(name, value)
    handler.runtime.reset()
    event = {
        "source": "aws.sagemaker",
        "detail-type": "SageMaker Model Package State Change",
        "detail": {
            "ModelPackageArn": arn,
            "ModelPackageGroupName": TEAM_GROUP,
            "ModelPackageStatus": "Completed",
        },
    }

    result = handler.lambda_handler(event, FakeContext(function_name="adoption"))

    assert result["outcome"] == "adopted" and result["packageArn"] == arn
    assert json.loads(json.dumps(result)) == result


def test_an_event_without_a_detail_is_ignored(team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(s.ENV_REGISTRY_BUCKET, team.settings.registry_bucket)
    monkeypatch.setenv(s.ENV_TOPIC_ARN, team.settings.topic_arn)
    handler.runtime.reset()

    result = handler.lambda_handler({"detail": "nonsense"}, FakeContext(function_name="adoption"))

    assert result["outcome"] == "ignored"
