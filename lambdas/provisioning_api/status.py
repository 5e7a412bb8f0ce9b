"""GET /models/{name}: what `mlops status` shows, read by the same readers, as one typed document."""

from __future__ import annotations

from typing import Any

from lambdas.common.endpoint_status import endpoint_state
from lambdas.common.pipeline_executions import model_executions
from lambdas.common.registry_status import (
    drift_verdict,
    has_uploads,
    quality_verdict,
    registry_versions,
    rejections,
)
from lambdas.provisioning_api.errors import not_found
from lambdas.provisioning_api.settings import Settings
from mlops_api.models import EndpointState, Execution, ModelStatus, RegistryVersion, Rejection, Verdict
from mlops_contract.pipeline import endpoint_name

# The status of a stage deployed in another account: the tooling account cannot describe its endpoint.
IN_STAGE_ACCOUNT = "InStageAccount"


def model_status(model: str, clients: Any, settings: Settings) -> ModelStatus:
    """Versions, rejections, executions in every pipeline, and each stage's endpoint with its verdicts."""
    s3, sm, bucket = clients.s3, clients.sagemaker, settings.registry_bucket
    versions = registry_versions(sm, model, None)
    rejected = rejections(s3, bucket, model, None)
    if versions is None and not rejected and not has_uploads(s3, bucket, model):
        raise not_found(f"no model named {model!r}: nothing registered, uploaded or rejected")
    return ModelStatus(
        model_name=model,
        versions=[RegistryVersion(**v) for v in versions or []],
        rejections=[Rejection(**_rejection(r)) for r in rejected],
        executions=_executions(clients.codepipeline, model, settings),
        endpoints=[_endpoint(clients, model, stage, settings) for stage in settings.stages],
    )


def _rejection(report: dict[str, Any]) -> dict[str, Any]:
    count = report["problem_count"]
    return {
        **report,
        "rejected_at": str(report["rejected_at"]),
        "problem_count": int(count) if isinstance(count, int) else 0,
    }


def _executions(codepipeline: Any, model: str, settings: Settings) -> list[Execution]:
    """The model's executions in each pipeline (one per endpoint type), newest first."""
    found = [
        Execution(pipeline=pipeline, **execution)
        for pipeline in dict.fromkeys(settings.pipeline_names.values())
        for execution in model_executions(codepipeline, pipeline, model, None)
    ]
    return sorted(found, key=lambda e: e.started, reverse=True)


def _endpoint(clients: Any, model: str, stage: str, settings: Settings) -> EndpointState:
    """One stage's endpoint, with its latest drift and quality verdicts when it is deployed."""
    account = settings.remote_accounts.get(stage)
    if account is not None:  # never "NotDeployed": this account cannot see it
        return EndpointState(
            stage=stage,
            endpoint=endpoint_name(model, stage),
            status=IN_STAGE_ACCOUNT,
            health=f"in account {account}: mlops status --assume-role <that account's ReportReaderRoleArn>",
        )
    state = endpoint_state(clients.sagemaker, stage, endpoint_name(model, stage))
    drift = quality = None
    if state["status"] != "NotDeployed":
        drifted = drift_verdict(clients.s3, settings.reports_bucket, state["endpoint"])
        checked = quality_verdict(clients.s3, settings.reports_bucket, state["endpoint"])
        drift = _verdict(drifted)
        quality = _verdict(checked)
    return EndpointState(
        stage=stage,
        endpoint=state["endpoint"],
        status=state["status"],
        health=str(state["health"]),
        failure_reason=state.get("failure_reason", ""),
        variants=state.get("variants", []),
        drift=drift,
        quality=quality,
    )


def _verdict(found: dict[str, Any] | None) -> Verdict | None:
    if found is None:
        return None
    return Verdict(status=found["status"], details={k: v for k, v in found.items() if k != "status"})
