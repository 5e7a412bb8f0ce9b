"""Answers to the CodePipeline reads the deployment-events function makes, from locally run executions.

moto keeps no pipeline executions: GetPipelineExecution and ListActionExecutions are answered from the
executions the local runner recorded, in the shapes botocore would have parsed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from mlops_contract.pipeline import APPROVAL_ACTION
from mlops_local.pipeline_calls import Execution

# Who answers approvals in local mode (the demo's prompt or its automatic yes).
LOCAL_APPROVER = "arn:aws:iam::123456789012:user/local-approver"
# Who called PutApprovalResult: on AWS the caller's role (the provisioning API's or registry-approval
# function's); the person who decided is named in the summary and on the model package.
LOCAL_DECIDER = "arn:aws:sts::123456789012:assumed-role/ApprovalFunctionRole/put-approval-result"
# ActionResult.succeeded and Execution.status in CodePipeline's spelling.
_STATUS = {True: "Succeeded", False: "Failed"}
_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def _find(executions: Sequence[Execution], body: dict[str, Any], execution_id: str) -> Execution | None:
    return next(
        (e for e in executions if e.execution_id == execution_id and e.pipeline == body["pipelineName"]), None
    )


def get_pipeline_execution(executions: Sequence[Execution], body: dict[str, Any]) -> dict[str, Any]:
    """GetPipelineExecution: status and resolved variables (PipelineExecutionNotFoundException if unknown)."""
    execution = _find(executions, body, body["pipelineExecutionId"])
    if execution is None:
        raise LookupError("PipelineExecutionNotFoundException")
    return {
        "pipelineExecution": {
            "pipelineName": execution.pipeline,
            "pipelineExecutionId": execution.execution_id,
            "status": execution.status,
            "variables": [{"name": k, "resolvedValue": v} for k, v in execution.variables.items()],
        }
    }


def list_action_executions(executions: Sequence[Execution], body: dict[str, Any]) -> dict[str, Any]:
    """ListActionExecutions filtered by execution: every action run, in order, with its outcome."""
    execution = _find(executions, body, body.get("filter", {}).get("pipelineExecutionId", ""))
    details = []
    for index, action in enumerate(execution.actions if execution else []):
        result: dict[str, Any] = {"externalExecutionSummary": action.message}
        if not action.succeeded:
            result["errorDetails"] = {"code": "JobFailed", "message": action.message}
        detail = {
            "pipelineExecutionId": body["filter"]["pipelineExecutionId"],
            "stageName": action.stage,
            "actionName": action.action,
            "startTime": _EPOCH + timedelta(seconds=index),
            "lastUpdateTime": _EPOCH + timedelta(seconds=index, milliseconds=500),
            "status": _STATUS[action.succeeded],
            "output": {"executionResult": result},
        }
        if action.action == APPROVAL_ACTION:
            detail["updatedBy"] = action.by or LOCAL_APPROVER
        details.append(detail)
    return {"actionExecutionDetails": details}


def list_pipeline_executions(executions: Sequence[Execution], body: dict[str, Any]) -> dict[str, Any]:
    """ListPipelineExecutions: the pipeline's executions, newest first, at most maxResults."""
    mine = [e for e in reversed(executions) if e.pipeline == body["pipelineName"]][
        : body.get("maxResults", 100)
    ]
    summaries = [
        {"pipelineExecutionId": e.execution_id, "status": e.status, "startTime": e.started} for e in mine
    ]
    return {"pipelineExecutionSummaries": summaries}


def get_job_details(jobs: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    """GetJobDetails: the pipeline a job (a Lambda invoke action's call) belongs to."""
    pipeline = jobs.get(body["jobId"])
    if pipeline is None:
        raise LookupError("JobNotFoundException")
    return {"jobDetails": {"id": body["jobId"], "data": {"pipelineContext": {"pipelineName": pipeline}}}}


def state_change_event(execution: Execution) -> dict[str, str]:
    """The PutEvents entry CodePipeline emits on the default bus when an execution ends."""
    detail = {
        "pipeline": execution.pipeline,
        "execution-id": execution.execution_id,
        "state": execution.status.upper(),
        "version": 1,
    }
    return {
        "Source": "aws.codepipeline",
        "DetailType": "CodePipeline Pipeline Execution State Change",
        "Detail": json.dumps(detail),
    }


Reader = Callable[[Sequence[Execution], dict[str, Any]], dict[str, Any]]
READS: dict[str, Reader] = {
    "GetPipelineExecution": get_pipeline_execution,
    "ListActionExecutions": list_action_executions,
    "ListPipelineExecutions": list_pipeline_executions,
}
