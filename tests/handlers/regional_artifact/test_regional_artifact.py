"""The regional copy of a sealed artifact: made once, verified byte for byte, never overwritten."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from lambdas.regional_artifact import handler
from lambdas.regional_artifact.job import CopyJob
from lambdas.regional_artifact.service import Clients, copy_to_region
from lambdas.regional_artifact.settings import Settings
from tests.handlers.deployment_events.aws_world import Capture
from tests.handlers.fakes import FakeContext

TOOLING_REGION, STAGE_REGION = "eu-west-1", "us-east-1"
REGISTRY, REGIONAL = "tooling-registry", "stage-artifacts"
PART = 5 * 1024 * 1024
SETTINGS = Settings(REGIONAL, STAGE_REGION, TOOLING_REGION, PART)
# scikit-learn 1.2-1 (CPU) as published in each region (mlops_manifest/images.json, from the SageMaker SDK).
IMAGE_EU = "141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"
IMAGE_US = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"
JOB_ID = "11111111-2222-3333-4444-555555555555"


@dataclass
class World:
    """The tooling registry (eu-west-1) and the stage's regional bucket (us-east-1), in moto."""

    source: Any
    target: Any

    def seal(self, body: bytes, digest: str | None = None) -> str:
        """A sealed artifact as registration writes it; its key names `digest` (default: its real one)."""
        sha = digest or hashlib.sha256(body).hexdigest()
        key = f"artifacts/sha256/{sha}/model.tar.gz"
        self.source.put_object(Bucket=REGISTRY, Key=key, Body=body, Metadata={"sha256": sha})
        return f"s3://{REGISTRY}/{key}"

    def versions(self) -> list[dict[str, Any]]:
        return self.target.list_object_versions(Bucket=REGIONAL).get("Versions", [])

    def run(self, url: str, image: str = IMAGE_EU):
        clients = Clients(source_s3=self.source, s3=self.target, codepipeline=None)
        return copy_to_region(CopyJob("staging-us", url, image), clients, SETTINGS)


@pytest.fixture
def world() -> Iterator[World]:
    with mock_aws():
        source = boto3.client("s3", region_name=TOOLING_REGION)
        target = boto3.client("s3", region_name=STAGE_REGION)
        source.create_bucket(
            Bucket=REGISTRY, CreateBucketConfiguration={"LocationConstraint": TOOLING_REGION}
        )
        target.create_bucket(Bucket=REGIONAL)
        target.put_bucket_versioning(Bucket=REGIONAL, VersioningConfiguration={"Status": "Enabled"})
        yield World(source, target)


def test_the_copy_is_made_once_and_names_the_regional_artifact_and_image(world):
    body = b"\x1f\x8b" + bytes(range(256)) * (PART // 128)  # two full parts and a piece of a third
    url = world.seal(body)
    key = url.removeprefix(f"s3://{REGISTRY}/")

    first, second = world.run(url), world.run(url)

    assert first.passed and second.passed, (first.message, second.message)
    assert first.output_variables == {"ModelDataUrl": f"s3://{REGIONAL}/{key}", "ImageUri": IMAGE_US}
    assert second.output_variables == first.output_variables
    assert "copied and verified" in first.message and "already there" in second.message
    assert len(world.versions()) == 1
    copy = world.target.get_object(Bucket=REGIONAL, Key=key)
    assert copy["Body"].read() == body
    assert copy["Metadata"] == {"sha256": hashlib.sha256(body).hexdigest()}


def test_bytes_that_do_not_hash_to_the_sealed_digest_are_refused_and_nothing_is_written(world):
    claimed = hashlib.sha256(b"the registered model").hexdigest()
    url = world.seal(b"some other bytes", digest=claimed)

    verdict = world.run(url)

    assert not verdict.passed
    assert f"hashes to {hashlib.sha256(b'some other bytes').hexdigest()}, not {claimed}" in verdict.message
    assert world.versions() == []
    assert world.target.list_multipart_uploads(Bucket=REGIONAL).get("Uploads", []) == []


def test_an_existing_copy_with_another_digest_is_never_overwritten(world):
    url = world.seal(b"the registered model")
    key = url.removeprefix(f"s3://{REGISTRY}/")
    world.target.put_object(Bucket=REGIONAL, Key=key, Body=b"planted", Metadata={"sha256": "0" * 64})

    verdict = world.run(url)

    assert not verdict.passed and "is never overwritten" in verdict.message
    assert len(world.versions()) == 1
    assert world.target.get_object(Bucket=REGIONAL, Key=key)["Body"].read() == b"planted"


def test_a_copy_that_lands_first_from_another_run_is_kept_not_replaced(world):
    url = world.seal(b"the registered model")
    key = url.removeprefix(f"s3://{REGISTRY}/")
    racing = world.target

    class LateRacer:
        """S3 of the stage region where another run completes the same copy just before this one does."""

        def __getattr__(self, name: str) -> Any:
            return getattr(racing, name)

        def complete_multipart_upload(self, **kwargs: Any) -> Any:
            digest = hashlib.sha256(b"the registered model").hexdigest()
            racing.put_object(
                Bucket=REGIONAL, Key=key, Body=b"the registered model", Metadata={"sha256": digest}
            )
            return racing.complete_multipart_upload(**kwargs)

    clients = Clients(source_s3=world.source, s3=LateRacer(), codepipeline=None)
    verdict = copy_to_region(CopyJob("staging-us", url, IMAGE_EU), clients, SETTINGS)

    assert verdict.passed, verdict.message
    assert len(world.versions()) == 1  # the conditional completion did not add a second version


def test_a_url_outside_the_sealed_prefix_is_refused(world):
    world.source.put_object(Bucket=REGISTRY, Key="models/churn/v1/model.tar.gz", Body=b"x")

    verdict = world.run(f"s3://{REGISTRY}/models/churn/v1/model.tar.gz")

    assert not verdict.passed and "is not a sealed artifact" in verdict.message
    assert world.versions() == []


def test_a_custom_image_is_refused_for_a_stage_in_another_region(world):
    url = world.seal(b"the registered model")

    verdict = world.run(url, image="111111111111.dkr.ecr.eu-west-1.amazonaws.com/mlops-images:churn-1")

    assert not verdict.passed
    assert "custom images are not replicated to other regions" in verdict.message
    assert world.versions() == []


def test_the_handler_reports_the_regional_values_to_its_job(world):
    url = world.seal(b"the registered model")
    codepipeline = boto3.client("codepipeline", region_name=STAGE_REGION)
    outputs = Capture()
    handler.runtime.override(SETTINGS, Clients(world.source, world.target, codepipeline))
    parameters = {"stage": "staging-us", "model_data_url": url, "image_uri": IMAGE_EU}
    configuration = {"FunctionName": "copy", "UserParameters": json.dumps(parameters)}
    event = {
        "CodePipeline.job": {"id": JOB_ID, "data": {"actionConfiguration": {"configuration": configuration}}}
    }
    with Stubber(codepipeline) as stub:
        stub.add_response("put_job_success_result", {}, {"jobId": JOB_ID, "outputVariables": outputs})
        result = handler.lambda_handler(event, FakeContext(function_name="copy"))
    handler.runtime.reset()

    assert result["passed"] is True
    assert outputs.value["ImageUri"] == IMAGE_US
    assert outputs.value["ModelDataUrl"].startswith(f"s3://{REGIONAL}/artifacts/sha256/")
