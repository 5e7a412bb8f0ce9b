"""A team's own model package group beside the registry world of the register function's tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest

from lambdas.package_adoption.service import Clients, Result, adopt
from lambdas.package_adoption.settings import Settings, Target
from tests.handlers.register.artifacts import good_model
from tests.handlers.register.conftest import ALLOWED_IMAGE_ACCOUNT, BUCKET, REGION, Registry, registry_world

TEAM_BUCKET = "team-models"
TEAM_GROUP = "team-churn-pipeline"
IMAGE = f"{ALLOWED_IMAGE_ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/team-churn:1"
TARGET = Target(model_name="churn-model", owner="team-a@example.com", serving={})


@dataclass
class Team:
    """The registry world plus a team bucket and group, and a way to deliver package events."""

    registry: Registry
    settings: Settings

    def package(self, *, artifact: bytes | None = None, group: str = TEAM_GROUP, **spec: Any) -> str:
        """Register a package the way a team's own pipeline would; return its ARN."""
        s3, sm = self.registry.s3, self.registry.sm
        key = f"{group}/{len(s3.list_objects_v2(Bucket=TEAM_BUCKET).get('Contents', []))}/model.tar.gz"
        s3.put_object(Bucket=TEAM_BUCKET, Key=key, Body=good_model() if artifact is None else artifact)
        container = {"Image": IMAGE, "ModelDataUrl": f"s3://{TEAM_BUCKET}/{key}"}
        specification = {
            "Containers": [container],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
        }
        specification.update(spec.pop("specification", {}))
        groups = [
            g["ModelPackageGroupName"] for g in sm.list_model_package_groups()["ModelPackageGroupSummaryList"]
        ]
        if group not in groups:
            sm.create_model_package_group(ModelPackageGroupName=group, Tags=spec.pop("tags", []))
        arn: str = sm.create_model_package(
            ModelPackageGroupName=group, InferenceSpecification=specification, **spec
        )["ModelPackageArn"]
        return arn

    def deliver(self, arn: str, settings: Settings | None = None) -> Result:
        """The package's state-change event, handled by the adoption function's domain code."""
        group = arn.rsplit("/", 2)[-2]
        clients = Clients(
            s3=self.registry.s3, sagemaker=self.registry.sm, sns=boto3.client("sns", region_name=REGION)
        )
        detail = {"ModelPackageArn": arn, "ModelPackageGroupName": group, "ModelPackageStatus": "Completed"}
        return adopt(clients, settings or self.settings, detail)

    def registry_keys(self, prefix: str) -> list[str]:
        listed = self.registry.s3.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", [])
        return sorted(o["Key"] for o in listed)


@pytest.fixture
def team() -> Iterator[Team]:
    with registry_world() as registry:
        registry.s3.create_bucket(Bucket=TEAM_BUCKET)
        settings = Settings(
            registry_bucket=BUCKET,
            topic_arn=registry.topic_arn,
            groups={TEAM_GROUP: TARGET},
            by_tag=False,
            artifact_buckets=frozenset({TEAM_BUCKET}),
        )
        yield Team(registry, settings)
