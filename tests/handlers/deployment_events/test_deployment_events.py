"""Deployment-events handler: failed executions and rollbacks become events and notifications."""

from __future__ import annotations

import copy

import pytest

from tests.handlers.deployment_events.aws_world import load_event
from tests.handlers.deployment_events.conftest import EXECUTION_ID, FAILED, PIPELINE, action

VARIABLES = {
    "ModelName": "churn-xgb",
    "ModelVersion": "2025-11-26.1",
    "ModelPackageArn": "arn:aws:sagemaker:us-east-1:123456789012:model-package/churn-xgb/1",
    "InferenceType": "realtime",
}
ROLLED_BACK = load_event("pipeline_endpoint_rolled_back.json")


def test_a_failed_execution_names_the_model_and_the_first_failed_action(world):
    world.execution_has(VARIABLES)
    world.actions_were(
        [action("Production", "Deploy", "Failed", 30, "later failure")],
        [
            action("Staging", "SmokeTest", "Failed", 12, "wrong response shape"),
            action("Staging", "Deploy", "Succeeded", 5),
        ],
    )

    assert world.invoke(FAILED) == {"status": "deployment_failed"}

    (event,) = world.bus_events()
    assert event["detail-type"] == "ModelDeploymentFailed"
    assert event["detail"] == {
        "model_name": "churn-xgb",
        "version": "2025-11-26.1",
        "model_package_arn": VARIABLES["ModelPackageArn"],
        "inference_type": "realtime",
        "pipeline": PIPELINE,
        "execution_id": EXECUTION_ID,
        "state": "FAILED",
        "stage": "Staging",
        "action": "SmokeTest",
        "reason": "wrong response shape",
        "failed_at": FAILED["time"],
    }
    (note,) = world.notifications()
    assert note["Subject"] == "Model deployment failed: churn-xgb 2025-11-26.1"
    assert "Staging/SmokeTest" in note["Message"]


def test_a_stopped_execution_without_failed_actions_is_reported(world):
    event = copy.deepcopy(FAILED)
    event["detail"]["state"] = "STOPPED"
    world.execution_has(VARIABLES)
    world.actions_were([action("Approval", "Approve", "Abandoned", 20)])

    world.invoke(event)

    (published,) = world.bus_events()
    assert published["detail"]["state"] == "STOPPED"
    assert published["detail"]["stage"] is None
    assert "stopped" in published["detail"]["reason"]


def test_an_unreadable_execution_is_still_reported(world):
    world.stub.add_client_error(
        "get_pipeline_execution", service_error_code="PipelineExecutionNotFoundException"
    )
    world.actions_were([])

    world.invoke(FAILED)

    (published,) = world.bus_events()
    assert published["detail"]["model_name"] is None and published["detail"]["execution_id"] == EXECUTION_ID


@pytest.mark.parametrize(("field", "value"), [("state", "SUCCEEDED"), ("pipeline", "someone-elses-pipeline")])
def test_executions_that_are_not_our_failures_are_ignored(world, field, value):
    event = copy.deepcopy(FAILED)
    event["detail"][field] = value

    assert world.invoke(event) == {"status": "ignored"}
    assert world.bus_events() == [] and world.notifications() == []


def test_a_guardrail_rollback_emits_rollback_completed(world):
    assert world.invoke(ROLLED_BACK) == {"status": "rollback_completed"}

    (event,) = world.bus_events()
    assert event["detail-type"] == "ModelRollbackCompleted"
    detail = event["detail"]
    assert (detail["model_name"], detail["version"], detail["stage"]) == ("churn-xgb", "2025-11-26.1", "prod")
    assert detail["endpoint_name"] == "churn-xgb-prod"
    assert detail["reason"] == ROLLED_BACK["detail"]["FailureReason"]
    (note,) = world.notifications()
    assert note["Subject"] == "Rolled back: churn-xgb 2025-11-26.1 on churn-xgb-prod"
    assert "previous endpoint configuration" in note["Message"]


def test_a_rollback_in_progress_is_notified_without_an_event(world):
    assert world.invoke(load_event("pipeline_endpoint_rolling_back.json")) == {"status": "rollback_started"}
    assert world.bus_events() == []
    assert len(world.notifications()) == 1


def test_a_failed_rollback_is_a_failed_deployment(world):
    event = copy.deepcopy(ROLLED_BACK)
    event["detail"]["EndpointStatus"] = "UPDATE_ROLLBACK_FAILED"

    assert world.invoke(event) == {"status": "rollback_failed"}
    (published,) = world.bus_events()
    assert published["detail-type"] == "ModelDeploymentFailed"


def test_tags_as_key_value_pairs_are_understood(world):
    event = copy.deepcopy(ROLLED_BACK)
    event["detail"]["Tags"] = [{"Key": k, "Value": v} for k, v in ROLLED_BACK["detail"]["Tags"].items()]

    assert world.invoke(event) == {"status": "rollback_completed"}


@pytest.mark.parametrize(
    "event",
    [
        load_event("pipeline_endpoint_in_service.json"),  # an ordinary successful update
        {**ROLLED_BACK, "detail": {**ROLLED_BACK["detail"], "Tags": {}}},  # not one of our endpoints
        {**ROLLED_BACK, "detail": {**ROLLED_BACK["detail"], "EndpointStatus": "UPDATING"}},
        load_event("smoke_test_job.json"),
        {"source": "aws.s3", "detail-type": "Object Created", "detail": {}},
    ],
)
def test_unrelated_events_are_ignored(world, event):
    assert world.invoke(event) == {"status": "ignored"}
    assert world.bus_events() == [] and world.notifications() == []
