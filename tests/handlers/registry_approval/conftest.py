"""Fixtures for the registry-approval handler: a stubbed CodePipeline (moto lacks approvals and state)."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from lambdas.registry_approval import handler
from lambdas.registry_approval.service import Clients
from lambdas.registry_approval.settings import load_settings
from tests.handlers.deployment_events.aws_world import PIPELINES, REGION, load_event
from tests.handlers.fakes import FakeContext

APPROVED = load_event("registry_approval_package_approved.json")
REJECTED = load_event("registry_approval_package_rejected.json")
PACKAGE_ARN = "arn:aws:sagemaker:us-east-1:123456789012:model-package/churn-xgb/3"
REALTIME, SERVERLESS, ASYNC = PIPELINES["realtime"], PIPELINES["serverless"], PIPELINES["async"]
EXECUTION_ID = "7d1c9b2e-3f4a-4e5b-8c6d-0a1b2c3d4e5f"
TOKEN = "2f6e1a7c-4b3d-4e8f-9a01-5c6d7e8f9a0b"  # PutApprovalResult tokens are UUIDs
WHEN = datetime(2025, 11, 26, 11, 0, tzinfo=UTC)
TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:mlops-notifications"
UPLOADER = "arn:aws:sts::123456789012:assumed-role/data-scientist/carol"
REQUEST_ID = "N4N7GDK58NMKJ12R"
REGISTRY_BUCKET = "registry-bucket"


class FakeRegistry:
    """SageMaker's model packages as the function sees them (churn-xgb version 3), and updates recorded."""

    def __init__(self) -> None:
        self.updates: list[dict[str, Any]] = []

    def describe_model_package(self, ModelPackageName: str) -> dict[str, Any]:  # noqa: N803 (boto3 names)
        return {
            "ModelPackageArn": ModelPackageName,
            "ModelPackageGroupName": "churn-xgb",
            "CustomerMetadataProperties": {"mlops:model-version": "3", "mlops:uploader": "123456789012"},
        }

    def update_model_package(self, **request: Any) -> dict[str, Any]:
        self.updates.append(request)
        return {"ModelPackageArn": request["ModelPackageArn"]}


class FakeBucket:
    """The registry bucket's registration record of churn-xgb 3 and CloudTrail's record of its upload."""

    def __init__(self) -> None:
        record = {
            "model_name": "churn-xgb",
            "version": "3",
            "model_package_arn": PACKAGE_ARN,
            "image_uri": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
            "model_data_url": f"s3://{REGISTRY_BUCKET}/artifacts/sha256/{'a' * 64}/model.tar.gz",
            "artifact_sha256": "a" * 64,
            "source_key": "models/churn-xgb/3/model.tar.gz",
            "source_version_id": "v1",
            "uploader": "123456789012",
            "registered_at": "2025-11-26T10:00:00+00:00",
            "manifest_request_id": REQUEST_ID,
        }
        self.objects = {
            "registrations/churn-xgb/3.json": record,
            f"uploaders/{REQUEST_ID}.json": {
                "identity": UPLOADER,
                "request_id": REQUEST_ID,
                "key": "models/churn-xgb/3/manifest.json",
                "version_id": "v2",
                "event_time": "2025-11-26T09:59:00Z",
            },
        }

        self.metadata: dict[tuple[str, str | None], dict[str, str]] = {}  # (key, version) -> user metadata

    def forget_uploader(self) -> None:
        del self.objects[f"uploaders/{REQUEST_ID}.json"]

    def upload_through_the_api(self, api_role: str, requester: str) -> None:
        """CloudTrail names the API's role; the requester is signed into the upload's metadata."""
        self.objects[f"uploaders/{REQUEST_ID}.json"]["identity"] = api_role
        self.metadata[("models/churn-xgb/3/model.tar.gz", "v1")] = {"requested-by": requester}

    def head_object(self, Bucket: str, Key: str, VersionId: str | None = None) -> dict[str, Any]:  # noqa: N803
        if Bucket != REGISTRY_BUCKET or (Key, VersionId) not in self.metadata:
            raise ClientError({"Error": {"Code": "404", "Message": Key}}, "HeadObject")
        return {"Metadata": self.metadata[(Key, VersionId)]}

    def get_object(self, Bucket: str, Key: str) -> dict[str, Any]:  # noqa: N803 (boto3 names)
        if Bucket != REGISTRY_BUCKET or Key not in self.objects:
            raise ClientError({"Error": {"Code": "NoSuchKey", "Message": Key}}, "GetObject")
        return {"Body": io.BytesIO(json.dumps(self.objects[Key]).encode())}


class FakeTopic:
    """SNS publish calls, recorded."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []

    def publish(self, **request: Any) -> dict[str, Any]:
        self.messages.append(request)
        return {"MessageId": str(len(self.messages))}


def stage(
    name: str, execution_id: str | None, status: str, **action_states: dict[str, Any]
) -> dict[str, Any]:
    """One StageState as GetPipelineState returns it; action_states maps action names to latestExecution."""
    state: dict[str, Any] = {
        "stageName": name,
        "actionStates": [{"actionName": a, "latestExecution": latest} for a, latest in action_states.items()],
    }
    if execution_id:
        state["latestExecution"] = {"pipelineExecutionId": execution_id, "status": status}
    return state


def waiting_production(execution_id: str = EXECUTION_ID, token: str = TOKEN) -> list[dict[str, Any]]:
    """Staging done, the execution waiting at Production/Approve."""
    return [
        stage("Source", execution_id, "Succeeded", Blueprints={"status": "Succeeded"}),
        stage("Staging", execution_id, "Succeeded", Deploy={"status": "Succeeded"}),
        stage("Production", execution_id, "InProgress", Approve={"status": "InProgress", "token": token}),
    ]


class ApprovalWorld:
    """The handler with a Stubber on its CodePipeline client."""

    def __init__(self) -> None:
        self.codepipeline = boto3.client("codepipeline", region_name=REGION)
        self.stub = Stubber(self.codepipeline)
        self.context = FakeContext(function_name="registry-approval")
        self.env = {
            "PIPELINE_NAMES": json.dumps(PIPELINES),
            "APPROVAL_STAGE_NAME": "Production",
            "NOTIFICATION_TOPIC_ARN": TOPIC_ARN,
            "REGISTRY_BUCKET_NAME": REGISTRY_BUCKET,
        }
        self.registry, self.topic, self.bucket = FakeRegistry(), FakeTopic(), FakeBucket()

    def pipeline_state(self, pipeline: str, stages: list[dict[str, Any]]) -> None:
        response = {"pipelineName": pipeline, "pipelineVersion": 1, "stageStates": stages, "updated": WHEN}
        self.stub.add_response("get_pipeline_state", response, {"name": pipeline})

    def waiting(self, pipeline: str, package_arn: str) -> None:
        """The pipeline's production stage waits for approval of an execution deploying `package_arn`."""
        self.pipeline_state(pipeline, waiting_production())
        self.execution_deploys(pipeline, package_arn)

    def awaiting(self, pipeline: str, status: str, summary: str) -> None:
        """The pipeline waits for approval of PACKAGE_ARN and must be answered with `status` and `summary`."""
        self.waiting(pipeline, PACKAGE_ARN)
        self.expect_result(pipeline, status, summary)

    def idle(self, *pipelines: str) -> None:
        for pipeline in pipelines:
            self.pipeline_state(pipeline, [stage("Production", None, "", Approve={"status": "Succeeded"})])

    def execution_deploys(self, pipeline: str, package_arn: str, execution_id: str = EXECUTION_ID) -> None:
        execution = {
            "pipelineName": pipeline,
            "pipelineExecutionId": execution_id,
            "status": "InProgress",
            "variables": [
                {"name": "ModelName", "resolvedValue": "churn-xgb"},
                {"name": "ModelPackageArn", "resolvedValue": package_arn},
            ],
        }
        self.stub.add_response(
            "get_pipeline_execution",
            {"pipelineExecution": execution},
            {"pipelineName": pipeline, "pipelineExecutionId": execution_id},
        )

    def expect_result(self, pipeline: str, status: str, summary: str, token: str = TOKEN) -> None:
        request = {
            "pipelineName": pipeline,
            "stageName": "Production",
            "actionName": "Approve",
            "result": {"summary": summary, "status": status},
            "token": token,
        }
        self.stub.add_response("put_approval_result", {"approvedAt": WHEN}, request)

    def invoke(self, event: dict[str, Any]) -> dict[str, Any]:
        with self.stub:
            result: dict[str, Any] = handler.lambda_handler(copy.deepcopy(event), self.context)
            self.stub.assert_no_pending_responses()
        return result


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> Iterator[ApprovalWorld]:
    w = ApprovalWorld()
    clients = Clients(w.codepipeline, w.registry, w.topic, w.bucket)
    monkeypatch.setattr(handler.runtime, "get", lambda: (load_settings(w.env), clients))
    yield w
