"""EventBridge contract: the source and detail types every MLOps Orchestrator event uses."""

from enum import StrEnum

EVENT_SOURCE = "mlops.orchestrator"


class DetailType(StrEnum):
    """Detail types of the events the orchestrator emits on its event bus."""

    MODEL_REGISTERED = "ModelRegistered"
    MODEL_REJECTED = "ModelRejected"
    MODEL_DEPLOYED = "ModelDeployed"
    MODEL_DEPLOYMENT_FAILED = "ModelDeploymentFailed"
    MODEL_ROLLBACK_COMPLETED = "ModelRollbackCompleted"
    MODEL_DRIFT_DETECTED = "ModelDriftDetected"
