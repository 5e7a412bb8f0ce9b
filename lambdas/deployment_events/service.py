"""Turn failed pipeline executions and endpoint rollbacks into orchestrator events and notifications."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lambdas.common.events import DetailType
from lambdas.common.publishing import PipelineClients, notify, put_event
from lambdas.deployment_events.executions import execution_variables, first_failed_action
from lambdas.deployment_events.patterns import (
    ENDPOINT_DETAIL_TYPES,
    EXECUTION_STATE_CHANGE,
    FAILED_STATES,
    TAG_MODEL_NAME,
    TAG_MODEL_VERSION,
    TAG_STAGE_NAME,
)
from lambdas.deployment_events.settings import Settings

Clients = PipelineClients  # this function's clients; FunctionRuntime builds one per field


@dataclass(frozen=True)
class Outcome:
    """What the function did with one event."""

    status: (
        str  # "deployment_failed" | "rollback_completed" | "rollback_failed" | "rollback_started" | "ignored"
    )
    detail: dict[str, Any] | None = None


def handle(event: Mapping[str, Any], clients: Clients, settings: Settings) -> Outcome:
    """Dispatch on the event's source; anything that is not ours is ignored."""
    detail = event.get("detail") if isinstance(event.get("detail"), Mapping) else {}
    assert isinstance(detail, Mapping)
    kind = (event.get("source"), event.get("detail-type"))
    if kind == ("aws.codepipeline", EXECUTION_STATE_CHANGE):
        if detail.get("state") in FAILED_STATES and detail.get("pipeline") in settings.pipeline_names:
            return _execution_failed(detail, str(event.get("time", "")), clients, settings)
    elif event.get("source") == "aws.sagemaker" and event.get("detail-type") in ENDPOINT_DETAIL_TYPES:
        return _endpoint_changed(detail, str(event.get("time", "")), clients, settings)
    return Outcome("ignored")


def _execution_failed(detail: Mapping[str, Any], time: str, clients: Clients, settings: Settings) -> Outcome:
    """ModelDeploymentFailed for a failed or stopped execution, naming the model and the failed action."""
    pipeline, execution_id = str(detail["pipeline"]), str(detail.get("execution-id", ""))
    variables = execution_variables(clients.codepipeline, pipeline, execution_id)
    action = first_failed_action(clients.codepipeline, pipeline, execution_id)
    state = str(detail["state"])
    failure = {
        "model_name": variables.get("ModelName"),
        "version": variables.get("ModelVersion"),
        "model_package_arn": variables.get("ModelPackageArn"),
        "inference_type": variables.get("InferenceType"),
        "pipeline": pipeline,
        "execution_id": execution_id,
        "state": state,
        "stage": action.stage if action else None,
        "action": action.action if action else None,
        "reason": action.summary
        if action
        else f"the execution is {state.lower()} (no failed action recorded)",
        "failed_at": time,
    }
    label = f"{failure['model_name'] or 'unknown model'} {failure['version'] or ''}".strip()
    subject = f"Model deployment failed: {label}"
    _publish(
        clients,
        settings,
        DetailType.MODEL_DEPLOYMENT_FAILED,
        failure,
        subject,
        _failure_message(label, failure),
    )
    return Outcome("deployment_failed", failure)


def _failure_message(label: str, failure: dict[str, Any]) -> str:
    """Plain-text notification of a failed execution."""
    where = f" at {failure['stage']}/{failure['action']}" if failure["stage"] else ""
    return (
        f"The deployment of {label} {str(failure['state']).lower()}{where} "
        f"(pipeline {failure['pipeline']}, execution {failure['execution_id']}).\n"
        f"Reason: {failure['reason']}\n"
        f"Whatever was serving before keeps serving; nothing after{where or ' it'} ran."
    )


def _endpoint_changed(detail: Mapping[str, Any], time: str, clients: Clients, settings: Settings) -> Outcome:
    """Rollback completed (back in service with a failure reason), rollback failed, or rollback started."""
    status = re.sub(r"[^A-Z]", "", str(detail.get("EndpointStatus", "")).upper())
    tags = _tags(detail.get("Tags"))
    reason = str(detail.get("FailureReason") or "")
    if TAG_MODEL_NAME not in tags or status not in {"INSERVICE", "ROLLINGBACK", "UPDATEROLLBACKFAILED"}:
        return Outcome("ignored")
    if status == "INSERVICE" and not reason:
        return Outcome("ignored")  # an ordinary successful create or update
    facts = _endpoint_facts(detail, tags, reason, time)
    label = f"{facts['model_name']} {facts['version'] or ''} on {facts['endpoint_name']}"
    if status == "ROLLINGBACK":
        message = f"SageMaker is rolling back the deployment of {label}."
        notify(clients.sns, settings.topic_arn, f"Rolling back: {label}", message)
        return Outcome("rollback_started", facts)
    if status == "UPDATEROLLBACKFAILED":
        message = (
            f"The rollback of {label} FAILED; the endpoint needs attention. Reason: {reason or 'none given'}"
        )
        _publish(
            clients, settings, DetailType.MODEL_DEPLOYMENT_FAILED, facts, f"Rollback failed: {label}", message
        )
        return Outcome("rollback_failed", facts)
    message = (
        f"The deployment guardrails rolled back {label}; the previous endpoint configuration "
        f"({facts['endpoint_config_name']}) is serving.\nReason: {reason}"
    )
    _publish(clients, settings, DetailType.MODEL_ROLLBACK_COMPLETED, facts, f"Rolled back: {label}", message)
    return Outcome("rollback_completed", facts)


def _endpoint_facts(
    detail: Mapping[str, Any], tags: dict[str, str], reason: str, time: str
) -> dict[str, Any]:
    """The event detail of a rollback: the model from the blueprint's tags, the endpoint from the event."""
    return {
        "model_name": tags[TAG_MODEL_NAME],
        "version": tags.get(TAG_MODEL_VERSION),
        "stage": tags.get(TAG_STAGE_NAME),
        "endpoint_name": detail.get("EndpointName"),
        "endpoint_arn": detail.get("EndpointArn"),
        "endpoint_config_name": detail.get("EndpointConfigName"),
        "endpoint_status": detail.get("EndpointStatus"),
        "reason": reason or None,
        "time": time,
    }


def _tags(raw: Any) -> dict[str, str]:
    """Endpoint tags as a dict, whether the event lists them as a map or as Key/Value pairs."""
    if isinstance(raw, Mapping):
        return {str(k): str(v) for k, v in raw.items()}
    if isinstance(raw, list):
        return {str(t["Key"]): str(t.get("Value", "")) for t in raw if isinstance(t, Mapping) and "Key" in t}
    return {}


def _publish(
    clients: Clients,
    settings: Settings,
    detail_type: DetailType,
    detail: dict[str, Any],
    subject: str,
    message: str,
) -> None:
    """Notify, then put the event on the orchestrator bus (raising if it is refused, so Lambda retries)."""
    notify(clients.sns, settings.topic_arn, subject, message)
    put_event(clients.events, settings.event_bus_name, detail_type, detail)
