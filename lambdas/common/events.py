"""EventBridge contract: the source and detail types every MLOps Orchestrator event uses."""

from collections.abc import Sequence
from enum import StrEnum
from typing import Any

EVENT_SOURCE = "mlops.orchestrator"
# SageMaker's own event (default bus) when a model package version is created, completes or is decided.
MODEL_PACKAGE_STATE_CHANGE = "SageMaker Model Package State Change"


class DetailType(StrEnum):
    """Detail types of the events the orchestrator emits on its event bus."""

    MODEL_REGISTERED = "ModelRegistered"
    MODEL_REJECTED = "ModelRejected"
    MODEL_DEPLOYED = "ModelDeployed"
    MODEL_DEPLOYMENT_FAILED = "ModelDeploymentFailed"
    MODEL_ROLLBACK_COMPLETED = "ModelRollbackCompleted"
    MODEL_DRIFT_DETECTED = "ModelDriftDetected"
    MODEL_QUALITY_BREACHED = "ModelQualityBreached"


def rule_pattern(source: str, detail_types: Sequence[str], detail: dict[str, Any]) -> dict[str, Any]:
    """An EventBridge rule pattern: one source, any of the detail types, and the detail's filters."""
    return {"source": [source], "detail-type": list(detail_types), "detail": detail}
