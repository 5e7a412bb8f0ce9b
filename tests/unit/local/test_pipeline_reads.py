"""Local answers to the CodePipeline reads, as the real deployment-events code reads them."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from lambdas.common.pipeline_approval import find_approval
from lambdas.deployment_events.executions import execution_variables, first_failed_action
from mlops_local.pipeline_calls import ActionResult, Execution, PipelineCalls
from mlops_local.pipeline_reads import LOCAL_APPROVER


@pytest.fixture
def codepipeline():
    calls = PipelineCalls()
    execution = Execution("exec-1", "realtime-pipeline", {"ModelName": "churn", "ModelVersion": "3"})
    execution.actions += [
        ActionResult("Production", "Approve", True, "approved: Deploy churn 3 to production?", 0.0),
        ActionResult("Staging", "Deploy", True, "stack mlops-churn-staging: in service", 1.0),
        ActionResult("Staging", "SmokeTest", False, "churn-staging: wrong response shape", 0.5),
    ]
    execution.status = "Failed"
    calls.executions.append(execution)
    calls.jobs["job-1"] = "realtime-pipeline"
    calls.install()
    try:
        yield boto3.client("codepipeline", region_name="us-east-1")
    finally:
        calls.uninstall()


def test_variables_of_a_local_execution_are_read_back(codepipeline):
    assert execution_variables(codepipeline, "realtime-pipeline", "exec-1") == {
        "ModelName": "churn",
        "ModelVersion": "3",
    }


def test_the_first_failed_action_and_its_message_are_found(codepipeline):
    failed = first_failed_action(codepipeline, "realtime-pipeline", "exec-1")

    assert (failed.stage, failed.action, failed.summary) == (
        "Staging",
        "SmokeTest",
        "churn-staging: wrong response shape",
    )


def test_an_unknown_execution_reads_as_not_found(codepipeline):
    assert execution_variables(codepipeline, "realtime-pipeline", "exec-unknown") == {}
    assert first_failed_action(codepipeline, "other-pipeline", "exec-1") is None


def test_the_approver_of_a_local_execution_is_read_as_finalize_reads_it(codepipeline):
    approval = find_approval(codepipeline, "job-1", "exec-1", "production")

    assert approval.approved_by == LOCAL_APPROVER
    assert approval.comment == "approved: Deploy churn 3 to production?"


def test_an_unknown_job_is_not_found(codepipeline):
    with pytest.raises(ClientError, match="JobNotFoundException"):
        find_approval(codepipeline, "job-unknown", "exec-1", "production")
