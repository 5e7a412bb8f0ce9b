"""Approvals that wait for PutApprovalResult, read and answered as the registry-approval code does it."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from lambdas.common.pipeline_executions import model_executions
from lambdas.registry_approval.pending import pending_approval
from mlops_local.pipeline_calls import Execution, PipelineCalls, Waiting

PIPELINE = "realtime-pipeline"


@pytest.fixture
def calls():
    calls = PipelineCalls()
    done = Execution("exec-1", PIPELINE, {"ModelName": "churn", "ModelVersion": "1"}, status="Succeeded")
    waiting = Execution("exec-2", PIPELINE, {"ModelName": "churn", "ModelVersion": "2"})
    waiting.waiting = Waiting("Production", "Approve", token="token-2")
    calls.executions += [done, waiting]
    calls.install()
    try:
        yield calls
    finally:
        calls.uninstall()


def test_the_waiting_execution_is_shown_with_its_token_and_not_run_until_answered(calls):
    codepipeline = boto3.client("codepipeline", region_name="us-east-1")
    waiting = pending_approval(codepipeline, PIPELINE, "Production")
    assert (waiting.execution_id, waiting.token) == ("exec-2", "token-2")
    assert calls.pending() == []


def test_put_approval_result_with_its_token_lets_the_execution_go_on(calls):
    codepipeline = boto3.client("codepipeline", region_name="us-east-1")
    result = {"summary": "Approved by ana", "status": "Approved"}
    with pytest.raises(ClientError, match="InvalidApprovalTokenException"):
        codepipeline.put_approval_result(
            pipelineName=PIPELINE, stageName="Production", actionName="Approve", result=result, token="stale"
        )
    codepipeline.put_approval_result(
        pipelineName=PIPELINE, stageName="Production", actionName="Approve", result=result, token="token-2"
    )
    assert [e.execution_id for e in calls.pending()] == ["exec-2"]
    assert calls.executions[1].waiting.decision.summary == "Approved by ana"
    assert pending_approval(codepipeline, PIPELINE, "Production") is None


def test_executions_are_listed_newest_first_as_status_reads_them(calls):
    codepipeline = boto3.client("codepipeline", region_name="us-east-1")
    found = model_executions(codepipeline, PIPELINE, "churn", None)
    assert [(e["version"], e["status"], e["stage"]) for e in found] == [
        ("2", "InProgress", "Production"),
        ("1", "Succeeded", ""),
    ]


def test_an_approver_answering_none_leaves_the_approval_waiting_then_the_decision_counts():
    from mlops_local.pipeline_calls import ApprovalDecision
    from mlops_local.pipeline_runner import ActionFailedError, ApprovalWaitingError, _approval, await_decision

    execution = Execution("exec-3", PIPELINE, {})
    with pytest.raises(ApprovalWaitingError):
        _approval("Production", "Approve", "Deploy churn 3?", execution, await_decision)
    assert (execution.waiting.stage, execution.waiting.action) == ("Production", "Approve")
    execution.waiting.decision = ApprovalDecision("Rejected", "Rejected by ana: latency")
    with pytest.raises(ActionFailedError, match="rejected: Rejected by ana: latency"):
        _approval("Production", "Approve", "Deploy churn 3?", execution, await_decision)
    assert execution.waiting is None
