"""Start the deployment pipeline of a registered model version, or say loudly why it cannot be started."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from lambdas.common.events import DetailType
from lambdas.common.pipeline_variables import VariablesError, as_pipeline_variables, variables_for
from lambdas.common.publishing import PipelineClients, notify, put_event
from lambdas.start_deployment.batch_note import batch_message
from lambdas.start_deployment.settings import Settings
from mlops_manifest.inference import InferenceType

# Errors a retry cannot fix: reported as a failed deployment instead of being retried.
_PERMANENT_ERRORS = {"ValidationException", "PipelineNotFoundException"}

Clients = PipelineClients  # this function's clients; FunctionRuntime builds one per field


@dataclass(frozen=True)
class Outcome:
    """What happened to one ModelRegistered event."""

    status: str  # "started" | "already_started" | "batch" | "failed"
    pipeline: str | None = None
    execution_id: str | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready summary."""
        return asdict(self)


def client_token(model_package_arn: str) -> str:
    """A stable StartPipelineExecution token: one execution per model package, however often announced."""
    return "mlops-" + hashlib.sha256(model_package_arn.encode()).hexdigest()


def start_deployment(
    detail: Mapping[str, Any], clients: Clients, settings: Settings, now: datetime
) -> Outcome:
    """Start the pipeline of the model's inference type; batch models only get a notification."""
    kind = detail.get("inference_type") or (detail.get("inference") or {}).get("type")
    if kind == InferenceType.BATCH:
        _notify(
            clients.sns,
            settings,
            _subject("Model registered for batch use", detail),
            batch_message(_label(detail), detail, settings.batch_workflow_arn),
        )
        return Outcome("batch")
    try:
        values = variables_for(detail)
    except VariablesError as error:
        return _fail(clients, settings, detail, None, f"invalid ModelRegistered detail: {error}", now)
    return _start(values, detail, clients, settings, now)


def _start(
    values: dict[str, str], detail: Mapping[str, Any], clients: Clients, settings: Settings, now: datetime
) -> Outcome:
    """Call StartPipelineExecution; permanent refusals are reported as failures, transient ones raised."""
    pipeline = settings.pipeline_names[InferenceType(values["InferenceType"])]
    try:
        response = clients.codepipeline.start_pipeline_execution(
            name=pipeline,
            variables=as_pipeline_variables(values),
            clientRequestToken=client_token(values["ModelPackageArn"]),
        )
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "Unknown")
        if code == "ConflictException":  # the token was already used, with other variables
            _notify(clients.sns, settings, _subject("Deployment already started", detail), _conflict(detail))
            return Outcome("already_started", pipeline=pipeline, reason=code)
        if code not in _PERMANENT_ERRORS:
            raise  # throttling or an outage: the invocation is retried, then lands in the dead-letter queue
        reason = (
            f"CodePipeline refused to start {pipeline} ({code}): {error.response['Error'].get('Message', '')}"
        )
        return _fail(clients, settings, detail, pipeline, reason, now)
    return Outcome("started", pipeline=pipeline, execution_id=response["pipelineExecutionId"])


def _fail(
    clients: Clients,
    settings: Settings,
    detail: Mapping[str, Any],
    pipeline: str | None,
    reason: str,
    now: datetime,
) -> Outcome:
    """Notify and emit ModelDeploymentFailed: nothing was deployed."""
    failure = {
        "model_name": _field(detail, "model_name"),
        "version": _field(detail, "version"),
        "model_package_arn": _field(detail, "model_package_arn"),
        "inference_type": _field(detail, "inference_type"),
        "pipeline": pipeline,
        "execution_id": None,
        "state": "NOT_STARTED",
        "stage": None,
        "action": None,
        "reason": reason,
        "failed_at": now.isoformat(),
    }
    message = f"The deployment of {_label(detail)} was not started; nothing was deployed.\nReason: {reason}"
    _notify(clients.sns, settings, _subject("Model deployment failed", detail), message)
    put_event(clients.events, settings.event_bus_name, DetailType.MODEL_DEPLOYMENT_FAILED, failure)
    return Outcome("failed", pipeline=pipeline, reason=reason)


def _notify(sns: Any, settings: Settings, subject: str, message: str) -> None:
    notify(sns, settings.topic_arn, subject, message)


def _field(detail: Mapping[str, Any], name: str) -> str | None:
    value = detail.get(name)
    return value if isinstance(value, str) else None


def _label(detail: Mapping[str, Any]) -> str:
    return f"{_field(detail, 'model_name') or 'an unnamed model'} {_field(detail, 'version') or ''}".strip()


def _subject(prefix: str, detail: Mapping[str, Any]) -> str:
    return f"{prefix}: {_label(detail)}"


def _conflict(detail: Mapping[str, Any]) -> str:
    return (
        f"{_label(detail)} ({_field(detail, 'model_package_arn')}) was announced again with "
        "different settings, but its deployment pipeline was already started for this model package; "
        "nothing new was started. "
        "Register a new version to deploy different settings."
    )
