"""`mlops status` shows each endpoint as SageMaker's DescribeEndpoint reports it, failures included."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from lambdas.common.endpoint_status import Health, endpoint_state
from mlops_cli.status_cmd import _render_deployment, collect
from mlops_cli.status_endpoint import render_endpoint

WHEN = datetime(2025, 11, 26, 10, 0, tzinfo=UTC)
LOAD_FAILURE = (
    "The primary container for production variant AllTraffic did not pass the ping health check. "
    "Please check CloudWatch logs for this endpoint."
)


def described(name: str, status: str, *variants: dict[str, Any], reason: str | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {
        "EndpointName": name,
        "EndpointArn": f"arn:aws:sagemaker:us-east-1:123456789012:endpoint/{name}",
        "EndpointConfigName": f"{name}-config-2",
        "EndpointStatus": status,
        "CreationTime": WHEN,
        "LastModifiedTime": WHEN,
        "ProductionVariants": list(variants),
    }
    if reason is not None:
        response["FailureReason"] = reason
    return response


def variant(current: int, desired: int, *steps: str) -> dict[str, Any]:
    found: dict[str, Any] = {
        "VariantName": "AllTraffic",
        "CurrentWeight": 1.0,
        "DesiredWeight": 1.0,
        "CurrentInstanceCount": current,
        "DesiredInstanceCount": desired,
    }
    if steps:
        found["VariantStatus"] = [{"Status": step, "StatusMessage": f"{step} in progress"} for step in steps]
    return found


def state_of(response: dict[str, Any] | None) -> dict[str, Any]:
    """endpoint_state against a stubbed DescribeEndpoint (None: the endpoint does not exist)."""
    sm = boto3.client("sagemaker", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(sm) as stub:
        if response is None:
            stub.add_client_error("describe_endpoint", "ValidationException", "Could not find endpoint")
        else:
            stub.add_response("describe_endpoint", response, {"EndpointName": "churn-staging"})
        state = endpoint_state(sm, "staging", "churn-staging")
        stub.assert_no_pending_responses()
    return state


def test_a_model_that_failed_to_load_is_not_shown_as_plain_in_service() -> None:
    # SageMaker rolled the update back: the endpoint is InService on the old fleet, FailureReason says why.
    state = state_of(described("churn-staging", "InService", variant(1, 1), reason=LOAD_FAILURE))

    assert (state["status"], state["health"]) == ("InService", Health.UPDATE_FAILED)
    lines = render_endpoint(state)
    assert lines[0] == "  staging: churn-staging  InService  [UPDATE FAILED: SERVING THE PREVIOUS MODEL]"
    assert lines[1] == f"      failure reason: {LOAD_FAILURE}"


@pytest.mark.parametrize("status", ["Failed", "OutOfService", "UpdateRollbackFailed"])
def test_failed_states_are_reported_with_their_reason(status: str) -> None:
    state = state_of(described("churn-staging", status, variant(0, 1), reason="CannotStartContainerError"))

    assert state["health"] is Health.FAILED
    assert render_endpoint(state) == [
        f"  staging: churn-staging  {status}  [FAILED]",
        "      failure reason: CannotStartContainerError",
        "      variant AllTraffic: 0 of 1 desired instances running, weight 1",
    ]


def test_a_rollback_in_progress_shows_the_variant_steps() -> None:
    state = state_of(described("churn-staging", "RollingBack", variant(2, 2, "Baking")))

    assert state["health"] is Health.CHANGING
    assert render_endpoint(state)[1] == (
        "      variant AllTraffic: 2 of 2 desired instances running, weight 1 (Baking: Baking in progress)"
    )


def test_fewer_running_instances_than_desired_is_degraded() -> None:
    state = state_of(described("churn-staging", "InService", variant(1, 3)))

    assert state["health"] is Health.DEGRADED
    assert state["variants"][0]["current_instances"] == 1 and state["variants"][0]["desired_instances"] == 3
    assert "[DEGRADED: FEWER INSTANCES THAN DESIRED]" in render_endpoint(state)[0]


def test_a_healthy_endpoint_has_no_verdict_in_brackets() -> None:
    state = state_of(described("churn-staging", "InService", variant(2, 2)))

    assert state["health"] is Health.HEALTHY and state["failure_reason"] == ""
    assert render_endpoint(state) == [
        "  staging: churn-staging  InService",
        "      variant AllTraffic: 2 of 2 desired instances running, weight 1",
    ]


def test_a_serverless_variant_reports_no_instance_counts() -> None:
    serverless = {
        "VariantName": "AllTraffic",
        "CurrentServerlessConfig": {"MemorySizeInMB": 2048, "MaxConcurrency": 5},
    }
    state = state_of(described("churn-staging", "InService", serverless))

    assert state["health"] is Health.HEALTHY
    assert render_endpoint(state)[1] == "      variant AllTraffic: serverless"


def test_a_missing_endpoint_is_not_deployed() -> None:
    state = state_of(None)

    assert (state["status"], state["health"]) == ("NotDeployed", Health.NOT_DEPLOYED)
    assert render_endpoint(state) == ["  staging: churn-staging  NotDeployed"]


class _StubbedAws:
    """The CLI's AWS access, answering with one stubbed SageMaker client."""

    def __init__(self, sm: Any) -> None:
        self.sm = sm

    def client(self, name: str) -> Any:
        assert name == "sagemaker"
        return self.sm

    def region_name(self) -> str:
        return "us-east-1"


def test_status_command_lists_every_stage_as_sagemaker_reports_it(capsys: pytest.CaptureFixture[str]) -> None:
    sm = boto3.client("sagemaker", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    group = {
        "ModelPackageGroupName": "churn",
        "ModelPackageGroupArn": "arn:aws:sagemaker:us-east-1:123456789012:model-package-group/churn",
        "CreationTime": WHEN,
        "CreatedBy": {},
        "ModelPackageGroupStatus": "Completed",
    }
    options = {"bucket": None, "reports_bucket": None, "pipeline": None, "stages": ["staging", "production"]}
    options["endpoint_name_format"] = "{model}-{stage}"
    with Stubber(sm) as stub:
        stub.add_response("describe_model_package_group", group, {"ModelPackageGroupName": "churn"})
        stub.add_response("list_model_packages", {"ModelPackageSummaryList": []})
        failed = described("churn-staging", "InService", variant(1, 1), reason=LOAD_FAILURE)
        stub.add_response("describe_endpoint", failed, {"EndpointName": "churn-staging"})
        stub.add_response("describe_endpoint", described("churn-production", "Updating", variant(2, 4)))
        status = collect(_StubbedAws(sm), "churn", None, options)  # type: ignore[arg-type]
    _render_deployment(status)

    printed = capsys.readouterr().out
    assert "  staging: churn-staging  InService  [UPDATE FAILED: SERVING THE PREVIOUS MODEL]" in printed
    assert f"failure reason: {LOAD_FAILURE}" in printed
    assert "  production: churn-production  Updating  [CHANGING]" in printed
    assert "variant AllTraffic: 2 of 4 desired instances running" in printed
