"""Registry-approval handler: the registry's decision answers the execution waiting at Production/Approve."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.handlers.registry_approval.conftest import (
    APPROVED,
    ASYNC,
    EXECUTION_ID,
    PACKAGE_ARN,
    REALTIME,
    REJECTED,
    SERVERLESS,
    TOKEN,
    stage,
)

APPROVED_SUMMARY = "Approved in the SageMaker Model Registry by alice: QA sign-off, ticket ML-142"
REJECTED_SUMMARY = (
    "Rejected in the SageMaker Model Registry by arn:aws:sts::123456789012:assumed-role/ml-reviewer/bob: "
    "Latency regression on the holdout replay"
)
OTHER_PACKAGE = "arn:aws:sagemaker:us-east-1:123456789012:model-package/churn-xgb/2"


def with_detail(event: dict[str, Any], **changes: Any) -> dict[str, Any]:
    changed = copy.deepcopy(event)
    changed["detail"].update(changes)
    return changed


def test_an_approved_package_approves_the_execution_waiting_for_it(world):
    # Given the realtime pipeline waiting at Production/Approve with this package, the others idle
    world.awaiting(REALTIME, "Approved", APPROVED_SUMMARY)
    world.idle(SERVERLESS, ASYNC)

    # When the package is approved in the registry
    result = world.invoke(APPROVED)

    # Then the pending approval is approved (the stub checked the exact PutApprovalResult request)
    assert result["status"] == "approved"
    assert result["decided"] == [{"pipeline": REALTIME, "execution_id": EXECUTION_ID}]
    assert result["reason"] is None


def test_a_rejected_package_rejects_the_execution_waiting_for_it(world):
    world.idle(REALTIME)
    world.awaiting(SERVERLESS, "Rejected", REJECTED_SUMMARY)
    world.idle(ASYNC)

    result = world.invoke(REJECTED)

    assert result["status"] == "rejected"
    assert result["decided"] == [{"pipeline": SERVERLESS, "execution_id": EXECUTION_ID}]


def test_an_anonymous_decision_without_description_names_the_package(world):
    event = copy.deepcopy(APPROVED)
    del event["detail"]["LastModifiedBy"], event["detail"]["ApprovalDescription"]
    summary = (
        "Approved in the SageMaker Model Registry by an approver the event does not name "
        "(arn:aws:sagemaker:us-east-1:123456789012:model-package/churn-xgb/3)"
    )
    world.awaiting(REALTIME, "Approved", summary)
    world.idle(SERVERLESS, ASYNC)

    assert world.invoke(event)["status"] == "approved"


def test_a_long_description_is_cut_to_the_summary_limit(world):
    event = with_detail(APPROVED, ApprovalDescription="x" * 600)
    prefix = "Approved in the SageMaker Model Registry by alice: "
    world.awaiting(REALTIME, "Approved", prefix + "x" * (512 - len(prefix)))
    world.idle(SERVERLESS, ASYNC)

    assert world.invoke(event)["status"] == "approved"


def test_no_waiting_execution_means_no_decision(world):
    # Given no pipeline holds an execution at the approval (e.g. approved before the pipeline got there)
    world.idle(REALTIME, SERVERLESS, ASYNC)

    result = world.invoke(APPROVED)

    # Then nothing is approved (the stub would fail on an unexpected PutApprovalResult), and that is no error
    assert result["status"] == "not_waiting"
    assert result["decided"] == []
    assert "waiting" in result["reason"]


@pytest.mark.parametrize("status", ["Succeeded", "Failed", "Abandoned"])
def test_an_approval_that_is_no_longer_in_progress_is_left_alone(world, status):
    # Given the execution is past the approval: finalize approves the package after production, say
    past = [stage("Production", EXECUTION_ID, "Succeeded", Approve={"status": status, "token": TOKEN})]
    world.pipeline_state(REALTIME, past)
    world.idle(SERVERLESS, ASYNC)

    assert world.invoke(APPROVED)["status"] == "not_waiting"


def test_an_execution_of_another_package_is_left_alone(world):
    world.waiting(REALTIME, OTHER_PACKAGE)
    world.idle(SERVERLESS, ASYNC)

    result = world.invoke(APPROVED)

    assert result["status"] == "not_waiting"
    assert result["decided"] == []


def test_an_approve_action_in_another_stage_is_not_the_production_approval(world):
    staging_approval = [
        stage("Staging", EXECUTION_ID, "InProgress", Approve={"status": "InProgress", "token": TOKEN}),
        stage("Production", None, ""),
    ]
    world.pipeline_state(REALTIME, staging_approval)
    world.idle(SERVERLESS, ASYNC)

    assert world.invoke(APPROVED)["status"] == "not_waiting"


@pytest.mark.parametrize(
    "event",
    [
        {},
        {"source": "aws.codepipeline", "detail-type": APPROVED["detail-type"], "detail": APPROVED["detail"]},
        {**APPROVED, "detail-type": "SageMaker Model State Change"},
        {**APPROVED, "detail": "not an object"},
        with_detail(APPROVED, ModelApprovalStatus="PendingManualApproval"),
        with_detail(APPROVED, ModelApprovalStatus=None),
        with_detail(APPROVED, ModelPackageArn=None),
        with_detail(APPROVED, ModelPackageArn=42),
        with_detail(APPROVED, ModelPackageArn=""),
    ],
    ids=[
        "empty",
        "foreign-source",
        "other-detail-type",
        "detail-not-object",
        "pending",
        "no-status",
        "no-arn",
        "arn-not-text",
        "empty-arn",
    ],
)
def test_foreign_or_malformed_events_are_ignored_without_any_call(world, event):
    # No responses are queued: any CodePipeline call would fail the test.
    assert world.invoke(event) == {
        "status": "ignored",
        "model_package_arn": None,
        "decided": [],
        "reason": None,
    }


def test_throttling_while_reading_the_state_raises_so_lambda_retries(world):
    world.stub.add_client_error("get_pipeline_state", service_error_code="ThrottlingException")

    with pytest.raises(ClientError, match="ThrottlingException"):
        world.invoke(APPROVED)


def test_throttling_while_approving_raises_so_lambda_retries(world):
    world.waiting(REALTIME, PACKAGE_ARN)
    world.stub.add_client_error("put_approval_result", service_error_code="ThrottlingException")

    with pytest.raises(ClientError, match="ThrottlingException"):
        world.invoke(APPROVED)


def test_a_server_fault_raises_so_lambda_retries(world):
    world.stub.add_client_error(
        "get_pipeline_state", service_error_code="InternalFailure", http_status_code=500
    )

    with pytest.raises(ClientError, match="InternalFailure"):
        world.invoke(APPROVED)


def test_an_approval_answered_meanwhile_is_reported_not_raised(world):
    # Given someone approved in the console between our read and our write
    world.waiting(REALTIME, PACKAGE_ARN)
    world.stub.add_client_error("put_approval_result", service_error_code="ApprovalAlreadyCompletedException")
    world.idle(SERVERLESS, ASYNC)

    result = world.invoke(APPROVED)

    assert result["status"] == "already_decided"
    assert "ApprovalAlreadyCompletedException" in result["reason"]


def test_a_refused_pipeline_is_reported_and_the_others_still_checked(world):
    world.stub.add_client_error("get_pipeline_state", service_error_code="AccessDeniedException")
    world.idle(SERVERLESS, ASYNC)

    result = world.invoke(APPROVED)

    assert result["status"] == "failed"
    assert result["reason"].startswith(f"{REALTIME}: AccessDeniedException")


def test_a_missing_pipeline_does_not_stop_the_approval_in_another(world):
    world.stub.add_client_error("get_pipeline_state", service_error_code="PipelineNotFoundException")
    world.awaiting(SERVERLESS, "Approved", APPROVED_SUMMARY)
    world.idle(ASYNC)

    result = world.invoke(APPROVED)

    assert result["status"] == "approved"
    assert result["decided"] == [{"pipeline": SERVERLESS, "execution_id": EXECUTION_ID}]
    assert "PipelineNotFoundException" in result["reason"]
