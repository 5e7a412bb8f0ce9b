"""Finalize handler: approve, tag, announce and answer the job; every failure still answers the job."""

from __future__ import annotations

from datetime import datetime

import pytest

from lambdas.finalize_deployment import handler
from tests.handlers.finalize_deployment.conftest import (
    APPROVED_AT,
    APPROVER,
    PACKAGE_ARN,
    PARAMETERS,
)


def test_success_approves_tags_announces_and_passes_the_job(world):
    world.approval_lookup()
    description = world.expect_approval()
    tags = world.expect_tags()
    world.expect_success()

    result = world.invoke()

    assert result["passed"] is True
    assert PARAMETERS["execution_id"] in description.value and "churn-xgb-prod" in description.value
    assert f"approved by {APPROVER}: ship it" in description.value
    tagged = {t["Key"]: t["Value"] for t in tags.value}
    assert tagged["mlops:approved-by"] == APPROVER
    assert tagged["mlops:deployed-endpoint"] == "churn-xgb-prod"
    assert tagged["mlops:pipeline-execution"] == PARAMETERS["execution_id"]
    assert datetime.fromisoformat(tagged["mlops:deployed-at"]).tzinfo is not None
    (event,) = world.bus_events()
    assert event["detail-type"] == "ModelDeployed"
    assert event["detail"] == {
        "model_name": "churn-xgb",
        "version": "2025-11-26.1",
        "model_package_arn": PACKAGE_ARN,
        "endpoint_name": "churn-xgb-prod",
        "stage": "prod",
        "execution_id": PARAMETERS["execution_id"],
        "deployed_at": tagged["mlops:deployed-at"],
        "approved_by": APPROVER,
        "approval_comment": "ship it",
        "approved_at": APPROVED_AT.isoformat(),
    }
    (note,) = world.notifications()
    assert note["Subject"] == "Model deployed: churn-xgb 2025-11-26.1 (prod)"


def test_a_missing_package_fails_the_job_and_announces_nothing(world):
    world.approval_lookup()
    world.sm_stub.add_client_error(
        "update_model_package",
        service_error_code="ValidationException",
        service_message=f"Model package {PACKAGE_ARN} does not exist.",
    )
    details = world.expect_failure()

    result = world.invoke()

    assert result["passed"] is False
    assert details.value["type"] == "JobFailed"
    assert "could not approve the model package" in details.value["message"]
    assert "does not exist" in details.value["message"]
    assert world.bus_events() == [] and world.notifications() == []


def test_a_denied_tagging_is_a_permission_error(world):
    world.approval_lookup()
    world.expect_approval()
    world.sm_stub.add_client_error(
        "add_tags", service_error_code="AccessDeniedException", service_message="no"
    )
    failure = world.failure()

    assert failure["type"] == "PermissionError"
    assert "could not tag the model package" in failure["message"]


def test_a_refused_deployed_event_fails_the_job_naming_the_step(world, monkeypatch):
    world.approval_lookup()
    world.expect_approval()
    world.expect_tags()
    refused = {"FailedEntryCount": 1, "Entries": [{"ErrorCode": "InternalException"}]}
    monkeypatch.setattr(world.events, "put_events", lambda **_: refused)
    failure = world.failure()

    assert failure["type"] == "JobFailed"
    assert "could not emit ModelDeployed" in failure["message"]
    assert "InternalException" in failure["message"]
    assert world.notifications() == []  # nothing announced as deployed


def test_a_stage_without_an_approval_action_is_recorded_as_such(world):
    world.approval_lookup(approve_action=False)
    description = world.expect_approval()
    tags = world.expect_tags()
    world.expect_success()

    world.invoke()

    assert "(no approval action in this stage)" in description.value
    assert "mlops:approved-by" not in {t["Key"] for t in tags.value}
    (event,) = world.bus_events()
    assert event["detail"]["approved_by"] is None


def test_an_unreadable_approval_is_a_permission_error_and_approves_nothing(world):
    world.pipeline_stub.add_client_error(
        "get_job_details", service_error_code="AccessDeniedException", service_message="no"
    )
    failure = world.failure()

    assert failure["type"] == "PermissionError"
    assert "could not read who approved the deployment" in failure["message"]
    assert world.bus_events() == []


def test_a_refused_job_result_is_raised_so_lambda_retries(world):
    world.approval_lookup()
    world.expect_approval()
    world.expect_tags()
    world.pipeline_stub.add_client_error("put_job_success_result", service_error_code="JobNotFoundException")

    with pytest.raises(Exception, match="JobNotFoundException"):
        world.invoke()


def test_an_event_that_is_no_pipeline_job_is_rejected(world):
    with pytest.raises(KeyError):
        handler.lambda_handler({"detail": {}}, world.context)


BOB = "arn:aws:sts::123456789012:assumed-role/Approver/bob"


def test_an_approval_answered_through_the_registry_or_the_api_names_the_person(world):
    summary = f"Approved through the provisioning API by {BOB}: looks good"
    world.approval_lookup(summary=summary, recorded={"mlops:approver": BOB})
    description = world.expect_approval()
    tags = world.expect_tags()
    world.expect_success()

    world.invoke()

    assert f"approved by {BOB}: {summary}" in description.value
    assert {t["Key"]: t["Value"] for t in tags.value}["mlops:approved-by"] == BOB
    (event,) = world.bus_events()
    assert event["detail"]["approved_by"] == BOB


def test_a_recorded_approver_the_summary_does_not_name_is_not_trusted(world):
    world.approval_lookup(summary="ship it", recorded={"mlops:approver": BOB})
    world.expect_approval()
    tags = world.expect_tags()
    world.expect_success()

    world.invoke()

    assert {t["Key"]: t["Value"] for t in tags.value}["mlops:approved-by"] == APPROVER
