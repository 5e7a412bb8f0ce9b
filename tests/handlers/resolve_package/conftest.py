"""A moto registry with one registered version (sealed artifact, record, package) for the resolve step."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from lambdas.common.registration_record import RegistrationRecord
from lambdas.resolve_package import handler
from lambdas.resolve_package.job import ResolveJob
from lambdas.resolve_package.service import Clients
from lambdas.resolve_package.settings import Settings
from tests.handlers.fakes import FakeContext, JobResults

REGION = "us-east-1"
BUCKET = "registry-bucket"
IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"
ARTIFACT = b"registered model bytes"
SHA = hashlib.sha256(ARTIFACT).hexdigest()
SEALED_URL = f"s3://{BUCKET}/artifacts/sha256/{SHA}/model.tar.gz"
# What a package without container variables resolves to: every blueprint parameter of one says "not set".
UNSET_CONTAINER = {
    "ServingProgram": "none",
    "ContainerInferenceInput": "none",
    "ContainerInferenceOutput": "none",
    "ContainerInferenceSupported": "none",
    "ContainerDefaultAccept": "none",
    "ContainerMaxContentLength": "none",
    "ContainerModelName": "none",
    "ContainerLogLevel": "none",
}


class Registered:
    """moto S3 and SageMaker holding what registration leaves behind for churn-model v1."""

    def __init__(self) -> None:
        self.s3 = boto3.client("s3", region_name=REGION)
        self.sm = boto3.client("sagemaker", region_name=REGION)
        self.s3.create_bucket(Bucket=BUCKET)
        self.s3.put_object(
            Bucket=BUCKET, Key=f"artifacts/sha256/{SHA}/model.tar.gz", Body=ARTIFACT, Metadata={"sha256": SHA}
        )
        self.sm.create_model_package_group(ModelPackageGroupName="churn-model")
        self.arn = self.package(IMAGE, SEALED_URL)
        self.write_record(model_package_arn=self.arn)

    def package(
        self, image: str, url: str, group: str = "churn-model", environment: dict[str, str] | None = None
    ) -> str:
        container = {"Image": image, "ModelDataUrl": url} | (
            {"Environment": environment} if environment else {}
        )
        spec = {
            "Containers": [container],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
        }
        arn: str = self.sm.create_model_package(ModelPackageGroupName=group, InferenceSpecification=spec)[
            "ModelPackageArn"
        ]
        return arn

    def write_record(self, **changes: Any) -> None:
        record = RegistrationRecord(
            model_name="churn-model",
            version="v1",
            model_package_arn="",
            image_uri=IMAGE,
            model_data_url=SEALED_URL,
            artifact_sha256=SHA,
            source_key="models/churn-model/v1/model.tar.gz",
            source_version_id=None,
            uploader="alice",
            registered_at="2026-11-27T10:00:00+00:00",
        )
        body = json.dumps(asdict(record) | changes).encode()
        self.s3.put_object(Bucket=BUCKET, Key="registrations/churn-model/v1.json", Body=body)

    def clients(self) -> Clients:
        return Clients(sagemaker=self.sm, s3=self.s3, codepipeline=None)

    def job(self, **changes: Any) -> ResolveJob:
        fields = {"model_package_arn": self.arn, "model_name": "churn-model", "model_version": "v1"}
        return ResolveJob(**(fields | {"stage": "staging"} | changes))


SETTINGS = Settings(registry_bucket=BUCKET)


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> Iterator[Registered]:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    with mock_aws():
        yield Registered()


RESOLVE_EVENT = json.loads(
    (Path(__file__).resolve().parents[2] / "events" / "pipeline_resolve_job.json").read_text()
)


class ResolveWorld(JobResults):
    """The resolve handler over the registered world, with a Stubber on its CodePipeline client."""

    job_id = RESOLVE_EVENT["CodePipeline.job"]["id"]

    def __init__(self, registered: Registered) -> None:
        self.codepipeline = boto3.client("codepipeline", region_name=REGION)
        self.pipeline_stub = Stubber(self.codepipeline)
        handler.runtime.override(SETTINGS, Clients(registered.sm, registered.s3, self.codepipeline))

    def invoke(self, event: dict[str, Any] | None = None) -> dict[str, Any]:
        with self.pipeline_stub:
            result: dict[str, Any] = handler.lambda_handler(
                copy.deepcopy(event or RESOLVE_EVENT), FakeContext(function_name="resolve-package")
            )
            self.pipeline_stub.assert_no_pending_responses()
        return result


@pytest.fixture
def resolve_world(registered: Registered) -> Iterator[ResolveWorld]:
    yield ResolveWorld(registered)
    handler.runtime.reset()
