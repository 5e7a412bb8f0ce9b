"""EventBridge rule patterns (default bus) that target the deployment-events function."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lambdas.common.events import rule_pattern

# Tags the endpoint blueprint puts on every endpoint (stacks/endpoint_blueprint_stack.py).
TAG_MODEL_NAME = "mlops:ModelName"
TAG_MODEL_VERSION = "mlops:ModelVersion"
TAG_STAGE_NAME = "mlops:StageName"

EXECUTION_STATE_CHANGE = "CodePipeline Pipeline Execution State Change"
# STOPPED counts too: a stopped execution never reaches production either.
FAILED_STATES = ("FAILED", "STOPPED")
FAILED_EXECUTION_PATTERN = rule_pattern(
    "aws.codepipeline", [EXECUTION_STATE_CHANGE], {"state": list(FAILED_STATES)}
)

# SageMaker documents both detail types; the deployment one carries blue/green progress. Event statuses are
# upper snake case ("UPDATING", "IN_SERVICE"); the API's spelling is listed too in case a detail type uses it.
ENDPOINT_DETAIL_TYPES = ("SageMaker Endpoint Deployment State Change", "SageMaker Endpoint State Change")
ROLLBACK_STATUSES = (
    "ROLLING_BACK",
    "RollingBack",
    "UPDATE_ROLLBACK_FAILED",
    "UpdateRollbackFailed",
    "IN_SERVICE",  # after a rollback the endpoint is back in service with a FailureReason (see service.py)
    "InService",
)
ROLLBACK_PATTERN = rule_pattern(
    "aws.sagemaker",
    ENDPOINT_DETAIL_TYPES,
    {
        "EndpointStatus": list(ROLLBACK_STATUSES),
        # Only endpoints deployed from the orchestrator's blueprint.
        "Tags": {TAG_MODEL_NAME: [{"exists": True}]},
    },
)


def failed_execution_pattern(pipeline_names: Sequence[str]) -> dict[str, Any]:
    """FAILED_EXECUTION_PATTERN restricted to the given pipelines (CDK tokens are fine)."""
    detail = {**FAILED_EXECUTION_PATTERN["detail"], "pipeline": list(pipeline_names)}
    return {**FAILED_EXECUTION_PATTERN, "detail": detail}
