"""The resolve handler answers its CodePipeline job: output variables on success, the reasons on refusal."""

from __future__ import annotations

import json
from collections.abc import Iterator

import boto3
import pytest
from botocore.stub import Stubber

from lambdas.resolve_package import handler
from lambdas.resolve_package.service import Clients
from tests.handlers.deployment_events.aws_world import Capture
from tests.handlers.fakes import FakeContext
from tests.handlers.resolve_package.conftest import (
    IMAGE,
    REGION,
    SEALED_URL,
    SETTINGS,
    UNSET_CONTAINER,
    Registered,
)

JOB_ID = "11111111-2222-3333-4444-555555555555"


def job_event(parameters: dict[str, str]) -> dict:
    parameters = {"execution_id": "exec-1", "approval_required": "false"} | parameters
    configuration = {"FunctionName": "resolve", "UserParameters": json.dumps(parameters)}
    return {
        "CodePipeline.job": {"id": JOB_ID, "data": {"actionConfiguration": {"configuration": configuration}}}
    }


@pytest.fixture
def stubbed(registered: Registered) -> Iterator[tuple[Registered, Stubber]]:
    codepipeline = boto3.client("codepipeline", region_name=REGION)
    stub = Stubber(codepipeline)
    handler.runtime.override(SETTINGS, Clients(registered.sm, registered.s3, codepipeline))
    with stub:
        yield registered, stub
    handler.runtime.reset()
    stub.assert_no_pending_responses()


def test_success_hands_the_recorded_values_to_the_deploy_action(stubbed):
    registered, stub = stubbed
    outputs = {"ImageUri": IMAGE, "ModelDataUrl": SEALED_URL} | UNSET_CONTAINER
    stub.add_response("put_job_success_result", {}, {"jobId": JOB_ID, "outputVariables": outputs})
    parameters = {"model_package_arn": registered.arn, "model_name": "churn-model", "model_version": "v1"}

    result = handler.lambda_handler(
        job_event(parameters | {"stage": "staging"}), FakeContext(function_name="resolve")
    )

    assert result["passed"] is True


def test_container_variables_in_the_job_parameters_change_nothing_resolved(stubbed):
    # Given a crafted job naming the registered package and a container variable of its own
    registered, stub = stubbed
    outputs = {"ImageUri": IMAGE, "ModelDataUrl": SEALED_URL} | UNSET_CONTAINER
    stub.add_response("put_job_success_result", {}, {"jobId": JOB_ID, "outputVariables": outputs})
    parameters = {"model_package_arn": registered.arn, "model_name": "churn-model", "model_version": "v1"}
    injected = {"ContainerInferenceOutput": "probabilities", "SAGEMAKER_INFERENCE_OUTPUT": "probabilities"}

    result = handler.lambda_handler(
        job_event(parameters | injected | {"stage": "staging"}), FakeContext(function_name="resolve")
    )

    # Then the deploy action gets the package's (unset) variable, not the job's
    assert result["passed"] is True


def test_a_crafted_execution_fails_its_job_with_the_reason(stubbed):
    registered, stub = stubbed
    forged = registered.package("111122223333.dkr.ecr.us-east-1.amazonaws.com/evil:1", SEALED_URL)
    details = Capture()
    stub.add_response("put_job_failure_result", {}, {"jobId": JOB_ID, "failureDetails": details})
    parameters = {"model_package_arn": forged, "model_name": "churn-model", "model_version": "v1"}

    result = handler.lambda_handler(
        job_event(parameters | {"stage": "production"}), FakeContext(function_name="resolve")
    )

    assert result["passed"] is False
    assert details.value["type"] == "JobFailed"
    assert f"refused to deploy {forged} to production" in details.value["message"]
    assert f"the registered package of churn-model v1 is {registered.arn}" in details.value["message"]


def test_a_malformed_approval_flag_is_a_configuration_error(stubbed):
    registered, stub = stubbed
    details = Capture()
    stub.add_response("put_job_failure_result", {}, {"jobId": JOB_ID, "failureDetails": details})
    parameters = {"model_package_arn": registered.arn, "model_name": "churn-model", "model_version": "v1"}

    handler.lambda_handler(
        job_event(parameters | {"stage": "production", "approval_required": "yes"}),
        FakeContext(function_name="resolve"),
    )

    assert details.value["type"] == "ConfigurationError"
    assert "approval_required must be 'true' or 'false'" in details.value["message"]
