"""The execution of a deployment pipeline that is waiting at the approval, and the package it deploys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mlops_contract.pipeline import APPROVAL_ACTION


@dataclass(frozen=True)
class PendingApproval:
    """An Approve action that is waiting for a decision, with the token that answers it."""

    pipeline: str
    stage: str
    execution_id: str
    token: str


def pending_approval(codepipeline: Any, pipeline: str, stage: str) -> PendingApproval | None:
    """The execution waiting at the stage's Approve action; None when nothing waits there."""
    state = codepipeline.get_pipeline_state(name=pipeline)
    for stage_state in state.get("stageStates") or []:
        if stage_state.get("stageName") != stage:
            continue
        # A stage holds one execution at a time: the one its latest execution names is the one waiting.
        execution_id = (stage_state.get("latestExecution") or {}).get("pipelineExecutionId")
        for action in stage_state.get("actionStates") or []:
            latest = action.get("latestExecution") or {}
            waiting = action.get("actionName") == APPROVAL_ACTION and latest.get("status") == "InProgress"
            if waiting and execution_id and latest.get("token"):
                return PendingApproval(pipeline, stage, str(execution_id), str(latest["token"]))
    return None


def deployed_package(codepipeline: Any, pipeline: str, execution_id: str) -> str | None:
    """The ModelPackageArn pipeline variable of the execution."""
    execution = codepipeline.get_pipeline_execution(pipelineName=pipeline, pipelineExecutionId=execution_id)
    for variable in execution.get("pipelineExecution", {}).get("variables") or []:
        if variable.get("name") == "ModelPackageArn":
            return str(variable.get("resolvedValue", ""))
    return None
