"""POST …/approve and …/reject: answer the waiting production approval, with the registry path's duties."""

from __future__ import annotations

from typing import Any, Literal

from lambdas.common.duties import requested_by, same_principal
from lambdas.common.registration_record import RegistrationRecord, read_record
from lambdas.provisioning_api.errors import conflict, forbidden, not_found
from lambdas.provisioning_api.settings import Settings
from lambdas.registry_approval import service as approvals
from lambdas.registry_approval.request import Decision
from lambdas.registry_approval.settings import Settings as ApprovalSettings
from mlops_api.models import DecisionResult

CHANNEL = "through the provisioning API"
Verdict = Literal["Approved", "Rejected"]


def registered(s3: Any, settings: Settings, model: str, version: str) -> RegistrationRecord:
    """The registration record of the version; 404 when it was never registered."""
    record = read_record(s3, settings.registry_bucket, model, version)
    if record is None:
        raise not_found(f"{model} version {version} is not registered")
    return record


def decide(
    model: str,
    version: str,
    verdict: Verdict,
    comment: str | None,
    caller: str,
    clients: Any,
    settings: Settings,
) -> DecisionResult:
    """Approve or reject the production approval waiting for this version, as the caller."""
    record = registered(clients.s3, settings, model, version)
    if verdict == "Approved":
        _refuse_own_request(clients.s3, settings.registry_bucket, record, caller)
    decision = Decision(record.model_package_arn, verdict, caller, comment, channel=CHANNEL)
    outcome = approvals.decide_package(decision, _clients(clients), _settings(settings))
    if outcome.status == "refused":
        raise forbidden("separation_of_duties", outcome.reason or "the approval was refused")
    if outcome.status in {"not_waiting", "already_decided"}:
        raise conflict(f"no production approval is waiting for {model} version {version}")
    if not outcome.decided:
        raise RuntimeError(f"the approval could not be answered: {outcome.reason}")  # logged, answered 500
    where = outcome.decided[0]
    return DecisionResult(
        model_name=model,
        version=version,
        decision=verdict,
        pipeline=where["pipeline"],
        execution_id=where["execution_id"],
    )


def _refuse_own_request(s3: Any, bucket: str, record: RegistrationRecord, caller: str) -> None:
    """403 when the caller asked the API for this version's upload: the API's role made the PUT, so
    CloudTrail names the API, and the requester signed into the PUT is the one that counts."""
    if same_principal(requested_by(s3, bucket, record), caller):
        raise forbidden(
            "separation_of_duties",
            f"{caller} requested the upload of {record.model_name} {record.version} and cannot also "
            "approve it; another person must",
        )


def _clients(clients: Any) -> approvals.Clients:
    """The registry-approval function's clients, from the API's."""
    return approvals.Clients(
        codepipeline=clients.codepipeline, sagemaker=clients.sagemaker, sns=clients.sns, s3=clients.s3
    )


def _settings(settings: Settings) -> ApprovalSettings:
    """The registry-approval function's settings, from the API's."""
    return ApprovalSettings(
        pipeline_names=tuple(dict.fromkeys(settings.pipeline_names.values())),
        approval_stage=settings.approval_stage,
        topic_arn=settings.topic_arn,
        registry_bucket=settings.registry_bucket,
    )
