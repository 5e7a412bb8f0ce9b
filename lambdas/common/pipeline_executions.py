"""Deployment pipeline executions of one model (CodePipeline V2, identified by execution variables)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

MODEL_VARIABLE = "ModelName"  # the pipeline variables each execution is started with
VERSION_VARIABLE = "ModelVersion"


def _variables(execution: dict[str, Any]) -> dict[str, str]:
    """An execution's pipeline variables as a dict."""
    return {
        str(item.get("name")): str(item.get("resolvedValue", ""))
        for item in execution.get("variables") or []
        if isinstance(item, dict)
    }


def current_stages(cp: Any, pipeline: str) -> dict[str, tuple[str, str]]:
    """Execution id → (stage, status) of the last stage each execution reached; empty if unavailable."""
    try:
        state = cp.get_pipeline_state(name=pipeline)
    except (ClientError, BotoCoreError):
        return {}
    stages: dict[str, tuple[str, str]] = {}
    for stage in state.get("stageStates") or []:
        latest = stage.get("latestExecution") or {}
        if latest.get("pipelineExecutionId"):
            stages[latest["pipelineExecutionId"]] = (stage.get("stageName", ""), latest.get("status", ""))
    return stages


def model_executions(
    cp: Any, pipeline: str, model: str, version: str | None, limit: int = 25
) -> list[dict[str, Any]]:
    """The latest executions (of the last `limit`) that deploy this model (and version)."""
    summaries = cp.list_pipeline_executions(pipelineName=pipeline, maxResults=limit)
    stages = current_stages(cp, pipeline)
    found = []
    for summary in summaries.get("pipelineExecutionSummaries") or []:
        execution_id = summary["pipelineExecutionId"]
        detail = cp.get_pipeline_execution(pipelineName=pipeline, pipelineExecutionId=execution_id)
        variables = _variables(detail.get("pipelineExecution") or {})
        if variables.get(MODEL_VARIABLE) != model:
            continue
        if version is not None and variables.get(VERSION_VARIABLE) != version:
            continue
        stage, stage_status = stages.get(execution_id, ("", ""))
        found.append(
            {
                "execution_id": execution_id,
                "version": variables.get(VERSION_VARIABLE, ""),
                "status": summary.get("status", ""),
                "started": str(summary.get("startTime", "")),
                "stage": stage,
                "stage_status": stage_status,
            }
        )
    return found


def execution_variables(cp: Any, pipeline: str, execution_id: str) -> dict[str, str]:
    """The variables one execution ran with, as CodePipeline resolved them."""
    detail = cp.get_pipeline_execution(pipelineName=pipeline, pipelineExecutionId=execution_id)
    return _variables(detail.get("pipelineExecution") or {})
