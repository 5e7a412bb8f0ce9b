"""Who approved the production deployment: the stage's Approve action in this pipeline execution.

CodePipeline records the identity that answered a manual approval (`updatedBy`) and its comment (the
action's summary) on the action execution. With approval in the Model Registry, the registry-approval
function answers the action and puts the registry's approver in the comment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mlops_contract.pipeline import APPROVAL_ACTION, pipeline_stage_name

MAX_PAGES = 5


@dataclass(frozen=True)
class Approval:
    """The approval of one stage in one execution."""

    approved_by: str
    comment: str
    approved_at: str


def _pipeline_name(codepipeline: Any, job_id: str) -> str:
    """The pipeline running this job (the job event does not name it)."""
    details = codepipeline.get_job_details(jobId=job_id)["jobDetails"]
    return str(details["data"]["pipelineContext"]["pipelineName"])


def find_approval(codepipeline: Any, job_id: str, execution_id: str, stage: str) -> Approval | None:
    """The stage's succeeded Approve action of the execution, or None when the stage has no approval."""
    request: dict[str, Any] = {
        "pipelineName": _pipeline_name(codepipeline, job_id),
        "filter": {"pipelineExecutionId": execution_id},
    }
    for _ in range(MAX_PAGES):
        page = codepipeline.list_action_executions(**request)
        for detail in page.get("actionExecutionDetails", []):
            if (detail.get("stageName"), detail.get("actionName"), detail.get("status")) == (
                pipeline_stage_name(stage),
                APPROVAL_ACTION,
                "Succeeded",
            ):
                result = detail.get("output", {}).get("executionResult", {})
                when = detail.get("lastUpdateTime")
                return Approval(
                    str(detail.get("updatedBy") or "unknown"),
                    str(result.get("externalExecutionSummary") or ""),
                    when.isoformat() if hasattr(when, "isoformat") else "",
                )
        if not page.get("nextToken"):
            return None
        request["nextToken"] = page["nextToken"]
    return None
