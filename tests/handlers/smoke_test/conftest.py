"""Fixtures for the smoke-test handler: a moto S3 with the manifest, stubbed runtime and CodePipeline."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.response import StreamingBody
from botocore.stub import Stubber
from moto import mock_aws

from lambdas.smoke_test import handler
from lambdas.smoke_test import settings as s
from lambdas.smoke_test.service import Clients
from tests.handlers.fakes import FakeContext, JobResults

REGION = "us-east-1"
BUCKET = "registry-bucket"
MANIFEST_KEY = "models/churn-model/v1/manifest.json"
ENDPOINT = "churn-model-staging"
EVENT = json.loads((Path(__file__).resolve().parents[2] / "events" / "smoke_test_job.json").read_text())
JOB_ID = EVENT["CodePipeline.job"]["id"]


def manifest(smoke_test: dict[str, Any] | None, inference: dict[str, Any] | None = None) -> dict[str, Any]:
    document: dict[str, Any] = {
        "schema_version": "1",
        "model_name": "churn-model",
        "version": "v1",
        "framework": "sklearn",
        "framework_version": "1.2-1",
        "artifact": {"file_name": "model.tar.gz", "sha256": "a" * 64},
        "inference": inference or {"type": "realtime"},
        "owner": "alice@example.com",
    }
    if smoke_test is not None:
        document["smoke_test"] = smoke_test
    return document


class Capture:
    """Matches any value in Stubber's expected parameters and remembers it."""

    value: Any = None

    def __eq__(self, other: object) -> bool:
        self.value = other
        return True

    def __hash__(self) -> int:
        return 0


class Pipeline(JobResults):
    """The world the handler runs in: moto S3, and Stubbers for SageMaker Runtime and CodePipeline."""

    job_id = JOB_ID

    def __init__(self) -> None:
        self.s3 = boto3.client("s3", region_name=REGION)
        self.s3.create_bucket(Bucket=BUCKET)
        self.runtime = boto3.client("sagemaker-runtime", region_name=REGION)
        self.codepipeline = boto3.client("codepipeline", region_name=REGION)
        self.runtime_stub = Stubber(self.runtime)
        self.pipeline_stub = Stubber(self.codepipeline)
        self.context = FakeContext(function_name="smoke-test")

    def upload_manifest(self, document: dict[str, Any] | bytes) -> None:
        body = document if isinstance(document, bytes) else json.dumps(document).encode()
        self.s3.put_object(Bucket=BUCKET, Key=MANIFEST_KEY, Body=body)

    def endpoint_answers(self, body: bytes, content_type: str = "application/json") -> None:
        self.runtime_stub.add_response(
            "invoke_endpoint",
            {"Body": _streaming(body), "ContentType": content_type},
            {
                "EndpointName": ENDPOINT,
                "ContentType": "application/json",
                "Accept": "application/json",
                "Body": b'{"instances": [[1, 2, 3]]}',
            },
        )

    def invoke(self, event: dict[str, Any] | None = None) -> dict[str, Any]:
        with self.runtime_stub, self.pipeline_stub:
            result = handler.lambda_handler(copy.deepcopy(event or EVENT), self.context)
            self.pipeline_stub.assert_no_pending_responses()
        return result


def _streaming(body: bytes) -> Any:
    return StreamingBody(io.BytesIO(body), len(body))


@pytest.fixture
def pipeline(monkeypatch: pytest.MonkeyPatch) -> Iterator[Pipeline]:
    monkeypatch.setenv(s.ENV_REGION, REGION)
    monkeypatch.setenv(s.ENV_INVOKE_TIMEOUT_SECONDS, "5")
    handler.runtime.reset()
    with mock_aws():
        world = Pipeline()
        monkeypatch.setattr(
            handler,
            "build_clients",
            lambda region, timeout: (Clients(world.s3, world.runtime), world.codepipeline),
        )
        yield world
    handler.runtime.reset()


SMOKE_TEST = {
    "payload": '{"instances": [[1, 2, 3]]}',
    "expected_response": {"kind": "json_array", "length": 1},
}
