"""Provisioning API fixtures: moto S3, SageMaker and SNS; a fake CodePipeline (moto lacks its state)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import boto3
import pytest
from moto import mock_aws

from lambdas.provisioning_api import handler
from lambdas.provisioning_api.service import build_clients
from lambdas.provisioning_api.settings import load_settings
from tests.handlers.fakes import ACCOUNT, REGION, FakeContext

REGISTRY, REPORTS = "registry-bucket", "reports-bucket"
PIPELINES = {"realtime": "rt-pipeline", "serverless": "sl-pipeline", "async": "as-pipeline"}
ALICE = f"arn:aws:sts::{ACCOUNT}:assumed-role/data-scientist/alice"
BOB = f"arn:aws:sts::{ACCOUNT}:assumed-role/approver/bob"
TOKEN = "2f6e1a7c-4b3d-4e8f-9a01-5c6d7e8f9a0b"


class FakePipelines:
    """CodePipeline as the API reads and drives it: executions with variables, one waiting approval."""

    def __init__(self) -> None:
        self.executions: dict[str, list[dict[str, Any]]] = {name: [] for name in PIPELINES.values()}
        self.waiting: dict[str, str] = {}  # pipeline → execution waiting at Production/Approve
        self.answers: list[dict[str, Any]] = []
        self.started: list[dict[str, Any]] = []

    def add(self, pipeline: str, execution_id: str, status: str, variables: dict[str, str]) -> None:
        """Record one execution (newest last) with its resolved variables."""
        self.executions[pipeline].append({"id": execution_id, "status": status, "variables": variables})

    def list_pipeline_executions(self, pipelineName: str, maxResults: int) -> dict[str, Any]:  # noqa: N803
        found = reversed(self.executions[pipelineName][-maxResults:])
        summaries = [
            {"pipelineExecutionId": e["id"], "status": e["status"], "startTime": e["id"]} for e in found
        ]
        return {"pipelineExecutionSummaries": summaries}

    def get_pipeline_execution(self, pipelineName: str, pipelineExecutionId: str) -> dict[str, Any]:  # noqa: N803
        (found,) = [e for e in self.executions[pipelineName] if e["id"] == pipelineExecutionId]
        variables = [{"name": k, "resolvedValue": v} for k, v in found["variables"].items()]
        return {"pipelineExecution": {"pipelineExecutionId": found["id"], "variables": variables}}

    def get_pipeline_state(self, name: str) -> dict[str, Any]:
        waiting = self.waiting.get(name)
        if waiting is None:
            return {"stageStates": []}
        action = {"actionName": "Approve", "latestExecution": {"status": "InProgress", "token": TOKEN}}
        latest = {"pipelineExecutionId": waiting, "status": "InProgress"}
        return {
            "stageStates": [{"stageName": "Production", "latestExecution": latest, "actionStates": [action]}]
        }

    def put_approval_result(self, **request: Any) -> dict[str, Any]:
        self.answers.append(request)
        self.waiting.pop(request["pipelineName"])
        return {}

    def start_pipeline_execution(self, **request: Any) -> dict[str, Any]:
        self.started.append(request)
        return {"pipelineExecutionId": f"exec-{len(self.started)}"}


def api_event(method: str, path: str, body: Any = None, *, caller: str | None = ALICE) -> dict[str, Any]:
    """An API Gateway REST proxy event signed (IAM auth) by `caller`; a str body is sent as it is, bytes as
    API Gateway sends a binary body (base64)."""
    identity = {"userArn": caller} if caller else {}
    binary = isinstance(body, bytes)
    text = (
        base64.b64encode(body).decode()
        if binary
        else body
        if isinstance(body, str) or body is None
        else json.dumps(body)
    )
    return {
        "resource": path,
        "path": path,
        "httpMethod": method,
        "headers": {"Content-Type": "application/json"},
        "pathParameters": None,
        "queryStringParameters": None,
        "requestContext": {"requestId": "req-1", "identity": identity, "stage": "v1", "path": path},
        "body": text,
        "isBase64Encoded": binary,
    }


class Api:
    """The deployed handler, called in-process with a fake Lambda context."""

    def __init__(self, pipelines: FakePipelines) -> None:
        self.pipelines = pipelines
        self.s3 = boto3.client("s3", region_name=REGION)
        self.sagemaker = boto3.client("sagemaker", region_name=REGION)

    def call(
        self, method: str, path: str, body: Any = None, *, caller: str | None = ALICE
    ) -> tuple[int, Any]:
        """(status, decoded JSON body) of one request."""
        response = handler.lambda_handler(api_event(method, path, body, caller=caller), FakeContext())
        return response["statusCode"], json.loads(response["body"])


@pytest.fixture
def api() -> Iterator[Api]:
    with mock_aws():
        s3 = boto3.client("s3", region_name=REGION)
        for bucket in (REGISTRY, REPORTS):
            s3.create_bucket(Bucket=bucket)
        topic = boto3.client("sns", region_name=REGION).create_topic(Name="mlops")["TopicArn"]
        settings = load_settings(
            {
                "REGISTRY_BUCKET_NAME": REGISTRY,
                "REPORTS_BUCKET_NAME": REPORTS,
                "NOTIFICATION_TOPIC_ARN": topic,
                "PIPELINE_NAMES": json.dumps(PIPELINES),
                "APPROVAL_STAGE_NAME": "Production",
                "STAGE_NAMES": "staging,production",
                "AWS_REGION": REGION,
                "MAX_ARTIFACT_BYTES": str(1024**3),
                "ALLOWED_IMAGE_ACCOUNTS": ACCOUNT,
            }
        )
        pipelines = FakePipelines()
        clients = replace(build_clients(settings), codepipeline=pipelines)
        handler.runtime.override(settings, clients)
        yield Api(pipelines)
        handler.runtime.reset()
