"""Fixtures for the finalize handler: moto SNS/EventBridge, stubbed SageMaker and CodePipeline."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from lambdas.finalize_deployment import handler
from lambdas.finalize_deployment.service import Clients
from lambdas.finalize_deployment.settings import load_settings
from tests.handlers.deployment_events.aws_world import REGION, AwsWorld, Capture, load_event
from tests.handlers.fakes import FakeContext, JobResults, serve_world

EVENT = load_event("pipeline_finalize_job.json")
JOB_ID = EVENT["CodePipeline.job"]["id"]
PARAMETERS = json.loads(
    EVENT["CodePipeline.job"]["data"]["actionConfiguration"]["configuration"]["UserParameters"]
)
PACKAGE_ARN = PARAMETERS["model_package_arn"]
PIPELINE = "MlopsOrchestrator-Tooling-DeploymentRealtimePipeline"
APPROVER = "arn:aws:iam::123456789012:user/alice"
APPROVED_AT = datetime(2025, 11, 26, 9, 30, tzinfo=UTC)


class FinalizeWorld(AwsWorld, JobResults):
    """moto SNS and bus; Stubbers for SageMaker (moto cannot tag versioned packages) and CodePipeline."""

    job_id = JOB_ID

    def __init__(self) -> None:
        super().__init__()
        self.sagemaker = boto3.client("sagemaker", region_name=REGION)
        self.codepipeline = boto3.client("codepipeline", region_name=REGION)
        self.sm_stub = Stubber(self.sagemaker)
        self.pipeline_stub = Stubber(self.codepipeline)
        self.context = FakeContext(function_name="finalize-deployment")

    def approval_lookup(
        self, approve_action: bool = True, summary: str = "ship it", recorded: dict[str, str] | None = None
    ) -> None:
        """CodePipeline names the job's pipeline, then lists the execution's actions (Approve or not);
        with an approval, the package is described for the approver it records (`recorded` metadata)."""
        context = {"pipelineContext": {"pipelineName": PIPELINE}}
        self.pipeline_stub.add_response(
            "get_job_details", {"jobDetails": {"id": JOB_ID, "data": context}}, {"jobId": JOB_ID}
        )
        deploy = {"stageName": "Staging", "actionName": "Deploy", "status": "Succeeded"}
        approve = {
            "stageName": "Prod",
            "actionName": "Approve",
            "status": "Succeeded",
            "updatedBy": APPROVER,
            "lastUpdateTime": APPROVED_AT,
            "output": {"executionResult": {"externalExecutionSummary": summary}},
        }
        listed = [deploy, approve] if approve_action else [deploy]
        self.pipeline_stub.add_response(
            "list_action_executions",
            {"actionExecutionDetails": listed},
            {"pipelineName": PIPELINE, "filter": {"pipelineExecutionId": PARAMETERS["execution_id"]}},
        )
        if approve_action:
            described = {
                "ModelPackageArn": PACKAGE_ARN,
                "ModelPackageName": "churn-xgb",
                "ModelPackageStatus": "Completed",
                "CreationTime": APPROVED_AT,
                "ModelPackageStatusDetails": {"ValidationStatuses": []},
            }
            if recorded is not None:
                described["CustomerMetadataProperties"] = recorded
            self.sm_stub.add_response("describe_model_package", described, {"ModelPackageName": PACKAGE_ARN})

    def expect_approval(self) -> Capture:
        description = Capture()
        self.sm_stub.add_response(
            "update_model_package",
            {"ModelPackageArn": PACKAGE_ARN},
            {
                "ModelPackageArn": PACKAGE_ARN,
                "ModelApprovalStatus": "Approved",
                "ApprovalDescription": description,
            },
        )
        return description

    def expect_tags(self) -> Capture:
        tags = Capture()
        self.sm_stub.add_response("add_tags", {"Tags": []}, {"ResourceArn": PACKAGE_ARN, "Tags": tags})
        return tags

    def invoke(self, event: dict[str, Any] | None = None) -> dict[str, Any]:
        with self.sm_stub, self.pipeline_stub:
            result: dict[str, Any] = handler.lambda_handler(copy.deepcopy(event or EVENT), self.context)
            self.pipeline_stub.assert_no_pending_responses()
            self.sm_stub.assert_no_pending_responses()
        return result


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> Iterator[FinalizeWorld]:
    yield from serve_world(monkeypatch, handler.runtime, FinalizeWorld, load_settings, Clients)
