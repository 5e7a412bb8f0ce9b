"""A stage's endpoint as SageMaker reports it: status, failure reason, and each variant's instances.

"InService" alone can hide a failure: when an update's new model fails to load, SageMaker rolls back and
keeps the endpoint InService on the previous fleet, reporting the failure only in FailureReason
(DescribeEndpoint: "If the status of the endpoint is Failed, or the status is InService but update
operation fails, this provides the reason why it failed"). So the verdict reads both.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from botocore.exceptions import ClientError

_NOT_FOUND = {"ValidationException", "ResourceNotFound", "ResourceNotFoundException"}
_FAILED = {"Failed", "UpdateRollbackFailed", "OutOfService"}
_CHANGING = {"Creating", "Updating", "SystemUpdating", "RollingBack", "Deleting"}


class Health(StrEnum):
    """The verdict on an endpoint, from its status, failure reason and instance counts."""

    HEALTHY = "healthy"
    FAILED = "failed"
    UPDATE_FAILED = "update failed: serving the previous model"
    CHANGING = "changing"
    DEGRADED = "degraded: fewer instances than desired"
    NOT_DEPLOYED = "not deployed"
    UNKNOWN = "unknown"


def endpoint_state(sm: Any, stage: str, name: str) -> dict[str, Any]:
    """Status of one stage's endpoint as DescribeEndpoint reports it; "NotDeployed" when it does not exist."""
    try:
        described = sm.describe_endpoint(EndpointName=name)
    except ClientError as error:
        if str(error.response.get("Error", {}).get("Code", "")) in _NOT_FOUND:
            return {"stage": stage, "endpoint": name, "status": "NotDeployed", "health": Health.NOT_DEPLOYED}
        raise
    status = str(described.get("EndpointStatus", ""))
    reason = str(described.get("FailureReason", ""))
    variants = [_variant(v) for v in described.get("ProductionVariants") or []]
    return {
        "stage": stage,
        "endpoint": name,
        "status": status,
        "health": health(status, reason, variants),
        "failure_reason": reason,
        "endpoint_config": str(described.get("EndpointConfigName", "")),
        "last_modified": str(described.get("LastModifiedTime", "")),
        "variants": variants,
    }


def _variant(variant: dict[str, Any]) -> dict[str, Any]:
    """A production variant's name, instance counts, weights and in-progress steps (Baking, ...)."""
    steps = [
        str(s.get("Status", "")) + (f": {s['StatusMessage']}" if s.get("StatusMessage") else "")
        for s in variant.get("VariantStatus") or []
    ]
    serverless = variant.get("CurrentServerlessConfig") or variant.get("DesiredServerlessConfig")
    return {
        "name": str(variant.get("VariantName", "")),
        "current_instances": variant.get("CurrentInstanceCount"),
        "desired_instances": variant.get("DesiredInstanceCount"),
        "current_weight": variant.get("CurrentWeight"),
        "desired_weight": variant.get("DesiredWeight"),
        "serverless": serverless or None,
        "steps": steps,
    }


def health(status: str, reason: str, variants: list[dict[str, Any]]) -> Health:
    """Judge an endpoint: failed, updated-but-rolled-back, changing, short of instances, or healthy."""
    if status in _FAILED:
        return Health.FAILED
    if status in _CHANGING:
        return Health.CHANGING
    if status != "InService":
        return Health.UNKNOWN
    if reason:
        return Health.UPDATE_FAILED
    if any(_short(v) for v in variants):
        return Health.DEGRADED
    return Health.HEALTHY


def _short(variant: dict[str, Any]) -> bool:
    """Fewer instances running than desired (serverless variants report no counts)."""
    current, desired = variant["current_instances"], variant["desired_instances"]
    return isinstance(current, int) and isinstance(desired, int) and current < desired
