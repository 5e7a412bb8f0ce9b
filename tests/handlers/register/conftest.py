"""Fixtures for the register handler: a moto account with the registry resources, and an upload helper."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from lambdas.register import handler
from lambdas.register import settings as s
from tests.handlers.fakes import FakeContext, SqsCapture
from tests.handlers.register.artifacts import good_model, sha256

REGION = "us-east-1"
BUCKET = "registry-bucket"
EVENTS_DIR = Path(__file__).resolve().parents[2] / "events"
MAX_ARTIFACT = 256 * 1024
MAX_UNCOMPRESSED = 1024 * 1024
MAX_MEMBERS = 50
MAX_BASELINE = 64 * 1024
# The platform team's own image account (config registry.image_accounts).
ALLOWED_IMAGE_ACCOUNT = "123456789012"


def valid_manifest(
    model: str = "churn-model", version: str = "v1", artifact: bytes | None = None
) -> dict[str, Any]:
    return {
        "schema_version": "1",
        "model_name": model,
        "version": version,
        "framework": "sklearn",
        "framework_version": "1.2-1",
        "artifact": {
            "file_name": "model.tar.gz",
            "sha256": sha256(good_model() if artifact is None else artifact),
        },
        "inference": {"type": "realtime", "instance_type": "ml.m5.large", "initial_instance_count": 1},
        "deployment": {"strategy": "canary", "canary_percent": 10, "bake_minutes": 5},
        "owner": "alice@example.com",
        "tags": {"team": "growth"},
    }


class Registry:
    """The moto-backed world the register function runs in, with helpers to upload and inspect."""

    def __init__(self) -> None:
        self.s3 = boto3.client("s3", region_name=REGION)
        self.sm = boto3.client("sagemaker", region_name=REGION)
        self.sqs = boto3.client("sqs", region_name=REGION)
        self.s3.create_bucket(Bucket=BUCKET)
        self.s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
        self.capture = SqsCapture(REGION)
        self.topic_arn, self.notes_queue = self.capture.topic()
        self.events_queue = self.capture.bus()
        boto3.client("dynamodb", region_name=REGION).create_table(
            TableName="idempotency",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        self.context = FakeContext(
            function_name="register",
            memory_limit_in_mb=1024,
            aws_request_id="00000000-0000-0000-0000-000000000000",
            remaining_ms=300_000,
        )

    def put(self, key: str, body: bytes) -> str:
        version: str = self.s3.put_object(Bucket=BUCKET, Key=key, Body=body)["VersionId"]
        return version

    def upload(
        self,
        manifest: dict[str, Any] | bytes,
        artifact: bytes | None = None,
        *,
        model: str = "churn-model",
        version: str = "v1",
        artifact_name: str = "model.tar.gz",
        key: str | None = None,
    ) -> dict[str, Any]:
        """Upload artifact (unless None) then manifest; return the EventBridge event for the manifest."""
        folder = f"models/{model}/{version}/"
        if artifact is not None:
            self.put(folder + artifact_name, artifact)
        body = manifest if isinstance(manifest, bytes) else json.dumps(manifest).encode()
        manifest_key = key or folder + "manifest.json"
        return self.event_for(manifest_key, self.put(manifest_key, body), len(body))

    @staticmethod
    def event_for(key: str, version_id: str, size: int) -> dict[str, Any]:
        event: dict[str, Any] = json.loads((EVENTS_DIR / "register_object_created.json").read_text())
        event["detail"]["bucket"]["name"] = BUCKET
        event["detail"]["object"].update({"key": key, "version-id": version_id, "size": size})
        return copy.deepcopy(event)

    def invoke(self, event: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = handler.lambda_handler(event, self.context)
        return result

    def packages(self, group: str = "churn-model") -> list[dict[str, Any]]:
        groups = [
            g["ModelPackageGroupName"]
            for g in self.sm.list_model_package_groups()["ModelPackageGroupSummaryList"]
        ]
        if group not in groups:
            return []
        summaries = self.sm.list_model_packages(ModelPackageGroupName=group)["ModelPackageSummaryList"]
        return [self.sm.describe_model_package(ModelPackageName=p["ModelPackageArn"]) for p in summaries]

    def all_package_count(self) -> int:
        return len(self.sm.list_model_packages(ModelPackageType="Both")["ModelPackageSummaryList"])

    def events(self, detail_type: str | None = None) -> list[dict[str, Any]]:
        found = [json.loads(m["Body"]) for m in self.capture.drain(self.events_queue)]
        return [e for e in found if detail_type is None or e["detail-type"] == detail_type]

    def notifications(self) -> list[str]:
        return [m["Body"] for m in self.capture.drain(self.notes_queue)]

    def keys(self, prefix: str = "") -> list[str]:
        listing = self.s3.list_object_versions(Bucket=BUCKET, Prefix=prefix)
        return sorted(f"{v['Key']}#{v['VersionId']}" for v in listing.get("Versions", []))

    def reports(self) -> list[dict[str, Any]]:
        listed = self.s3.list_objects_v2(Bucket=BUCKET, Prefix="rejected/").get("Contents", [])
        return [json.loads(self.s3.get_object(Bucket=BUCKET, Key=o["Key"])["Body"].read()) for o in listed]


def _set_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "POWERTOOLS_TRACE_DISABLED": "1",
        "POWERTOOLS_METRICS_NAMESPACE": "MLOpsOrchestrator",
        s.ENV_REGISTRY_BUCKET: BUCKET,
        s.ENV_EVENT_BUS_NAME: "mlops",
        s.ENV_IDEMPOTENCY_TABLE: "idempotency",
        s.ENV_MAX_ARTIFACT_BYTES: str(MAX_ARTIFACT),
        s.ENV_MAX_UNCOMPRESSED_BYTES: str(MAX_UNCOMPRESSED),
        s.ENV_MAX_MEMBERS: str(MAX_MEMBERS),
        s.ENV_MAX_BASELINE_BYTES: str(MAX_BASELINE),
        s.ENV_IMAGE_ACCOUNTS: ALLOWED_IMAGE_ACCOUNT,
    }.items():
        monkeypatch.setenv(name, value)


@contextmanager
def registry_world() -> Iterator[Registry]:
    """Fake credentials and settings, a moto account with the registry resources, a fresh runtime."""
    with pytest.MonkeyPatch.context() as monkeypatch, mock_aws():
        _set_env(monkeypatch)
        world = Registry()
        monkeypatch.setenv(s.ENV_TOPIC_ARN, world.topic_arn)
        handler.runtime.reset()
        try:
            yield world
        finally:
            handler.runtime.reset()


@pytest.fixture
def registry() -> Iterator[Registry]:
    with registry_world() as world:
        yield world


@pytest.fixture(scope="module")
def shared_registry() -> Iterator[Registry]:
    """One world for a whole module: cases use distinct model folders and never register anything."""
    with registry_world() as world:
        yield world
