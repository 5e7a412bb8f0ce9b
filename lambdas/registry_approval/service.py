"""Pass a registry approval or rejection to the deployment pipeline execution waiting for it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from lambdas.common.duties import APPROVER_KEY, same_principal, uploaded_by
from lambdas.registry_approval.pending import deployed_package, pending_approval
from lambdas.registry_approval.request import Decision, parse_decision
from lambdas.registry_approval.settings import Settings
from mlops_contract.pipeline import APPROVAL_ACTION

# Errors worth a retry (throttling, and server faults: HTTP 5xx): the invocation fails and Lambda retries it.
# Any other refusal (access denied, pipeline not found...) is reported in the outcome and not retried.
_THROTTLING = {"ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded"}
# Someone answered the approval in the console (or the execution moved on) between our read and our write.
_ALREADY_DECIDED = {"ApprovalAlreadyCompletedException", "InvalidApprovalTokenException"}
# Nothing waits at the approval: an ordinary situation, for example finalize approving the package after
# production, or a package approved before its pipeline reached the approval.
NOT_WAITING = "no pipeline execution of this model package is waiting at the approval"


@dataclass(frozen=True)
class Clients:
    """The boto3 clients the registry-approval function uses."""

    codepipeline: Any
    sagemaker: Any
    sns: Any
    s3: Any  # the registration record and CloudTrail's uploader record


@dataclass(frozen=True)
class Outcome:
    """What the function did with one event."""

    # "approved" | "rejected" | "refused" | "not_waiting" | "already_decided" | "failed" | "ignored"
    status: str
    model_package_arn: str | None = None
    decided: list[dict[str, str]] = field(default_factory=list)  # pipeline and execution of each approval
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready summary."""
        return asdict(self)


def decide(event: Mapping[str, Any], clients: Clients, settings: Settings) -> Outcome:
    """Approve or reject the approval the package's execution waits at; raise only when throttled."""
    decision = parse_decision(event)
    if decision is None:
        return Outcome("ignored")
    return decide_package(decision, clients, settings)


def decide_package(decision: Decision, clients: Clients, settings: Settings) -> Outcome:
    """Apply one decision (from the registry or the provisioning API) with separation of duties."""
    decided: list[dict[str, str]] = []
    refusals: list[tuple[str, str]] = []  # (error code, explanation)
    if decision.status == "Approved":
        uploaders = uploaded_by(
            clients.sagemaker, clients.s3, settings.registry_bucket, decision.model_package_arn
        )
        if uploaders is None:
            return refuse_approval(decision, clients, settings, None)
        for uploader in uploaders:
            if same_principal(uploader, decision.decided_by):
                return refuse_approval(decision, clients, settings, uploader)
    for pipeline in settings.pipeline_names:
        try:
            _decide_in(pipeline, decision, clients, settings, decided)
        except ClientError as error:
            if _retryable(error):
                raise
            message = error.response.get("Error", {}).get("Message", "")
            refusals.append((_code(error), f"{pipeline}: {_code(error)}: {message}"))
    return _outcome(decision, decided, refusals)


def refuse_approval(
    decision: Decision, clients: Clients, settings: Settings, uploader: str | None
) -> Outcome:
    """The uploader approved their own model, or nobody can tell who uploaded it: undo the approval in the
    registry, say why, answer nothing in the pipeline."""
    if uploader is None:
        reason = (
            "who uploaded this model version is not on record (CloudTrail delivers it within minutes of "
            "the upload; packages registration did not create have none), so the approval cannot be "
            "checked; approve it again later"
        )
    else:
        reason = (
            f"{decision.decided_by} uploaded this model version and cannot also approve it for production; "
            "another person must approve it"
        )
    clients.sagemaker.update_model_package(
        ModelPackageArn=decision.model_package_arn,
        ModelApprovalStatus="PendingManualApproval",
        ApprovalDescription=f"Approval refused: {reason}"[:1024],
    )
    clients.sns.publish(
        TopicArn=settings.topic_arn,
        Subject="Production approval refused",
        Message=f"{decision.model_package_arn}: {reason}.",
    )
    return Outcome("refused", decision.model_package_arn, reason=reason)


def _decide_in(
    pipeline: str, decision: Decision, clients: Clients, settings: Settings, decided: list[dict[str, str]]
) -> None:
    """Answer the pipeline's waiting approval when the waiting execution deploys the decided package."""
    codepipeline = clients.codepipeline
    waiting = pending_approval(codepipeline, pipeline, settings.approval_stage)
    if waiting is None:
        return
    if deployed_package(codepipeline, pipeline, waiting.execution_id) != decision.model_package_arn:
        return  # another model version is waiting there
    if decision.status == "Approved" and decision.decided_by:  # the approver, on the package itself
        clients.sagemaker.update_model_package(
            ModelPackageArn=decision.model_package_arn,
            CustomerMetadataProperties={APPROVER_KEY: decision.decided_by[:256]},
        )
    codepipeline.put_approval_result(
        pipelineName=pipeline,
        stageName=waiting.stage,
        actionName=APPROVAL_ACTION,
        result={"summary": decision.summary(), "status": decision.status},
        token=waiting.token,
    )
    decided.append({"pipeline": pipeline, "execution_id": waiting.execution_id})


def _outcome(decision: Decision, decided: list[dict[str, str]], refusals: list[tuple[str, str]]) -> Outcome:
    """Summarise the decisions made and the refusals met across the pipelines."""
    arn, reason = decision.model_package_arn, "; ".join(text for _, text in refusals) or None
    if decided:
        return Outcome(decision.status.lower(), arn, decided, reason)
    if refusals and all(code in _ALREADY_DECIDED for code, _ in refusals):
        return Outcome("already_decided", arn, reason=reason)
    if refusals:
        return Outcome("failed", arn, reason=reason)
    return Outcome("not_waiting", arn, reason=NOT_WAITING)


def _retryable(error: ClientError) -> bool:
    """Throttling or a server fault."""
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    return _code(error) in _THROTTLING or int(status) >= 500


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", "Unknown"))
