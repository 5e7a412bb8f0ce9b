"""What a failed pipeline execution was deploying, and where it failed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

MAX_ACTION_PAGES = 5


@dataclass(frozen=True)
class FailedAction:
    """The first action that failed in an execution."""

    stage: str | None
    action: str | None
    summary: str


def execution_variables(codepipeline: Any, pipeline: str, execution_id: str) -> dict[str, str]:
    """The execution's resolved pipeline variables (empty when the execution cannot be read)."""
    try:
        execution = codepipeline.get_pipeline_execution(
            pipelineName=pipeline, pipelineExecutionId=execution_id
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") not in {
            "PipelineExecutionNotFoundException",
            "PipelineNotFoundException",
        }:
            raise
        return {}
    variables = execution.get("pipelineExecution", {}).get("variables") or []
    return {v["name"]: v.get("resolvedValue", "") for v in variables if "name" in v}


def first_failed_action(codepipeline: Any, pipeline: str, execution_id: str) -> FailedAction | None:
    """The earliest failed action of the execution, with its error summary."""
    failed: list[dict[str, Any]] = []
    request: dict[str, Any] = {"pipelineName": pipeline, "filter": {"pipelineExecutionId": execution_id}}
    for _ in range(MAX_ACTION_PAGES):
        page = codepipeline.list_action_executions(**request)
        failed += [d for d in page.get("actionExecutionDetails", []) if d.get("status") == "Failed"]
        if not page.get("nextToken"):
            break
        request["nextToken"] = page["nextToken"]
    if not failed:
        return None
    first = min(failed, key=lambda d: d["startTime"].timestamp() if "startTime" in d else float("inf"))
    return FailedAction(first.get("stageName"), first.get("actionName"), _summary(first))


def _summary(detail: dict[str, Any]) -> str:
    """The action's error message, or its external summary."""
    result = detail.get("output", {}).get("executionResult", {})
    message = (result.get("errorDetails") or {}).get("message") or result.get("externalExecutionSummary")
    return str(message) if message else "no error summary recorded"
