"""Finalize a production deployment: approve and tag the model package, announce it, report the job."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from lambdas.common.codepipeline_job import Verdict
from lambdas.common.duties import APPROVER_KEY
from lambdas.common.events import DetailType
from lambdas.common.pipeline_approval import Approval, find_approval
from lambdas.common.publishing import PublishError, notify, put_event
from lambdas.finalize_deployment.job import FinalizeJob
from lambdas.finalize_deployment.settings import Settings

TAG_ENDPOINT = "mlops:deployed-endpoint"
TAG_DEPLOYED_AT = "mlops:deployed-at"
TAG_EXECUTION = "mlops:pipeline-execution"
TAG_APPROVED_BY = "mlops:approved-by"
# CodePipeline accepts failure messages of at most 5000 characters; ApprovalDescription allows 1024.
MAX_APPROVAL_DESCRIPTION = 1024
_PERMISSION_CODES = {"AccessDenied", "AccessDeniedException", "AuthorizationError"}


@dataclass(frozen=True)
class Clients:
    """The boto3 clients the finalize step uses (the CodePipeline client is the handler's)."""

    sagemaker: Any
    sns: Any
    events: Any
    codepipeline: Any  # reads who approved the stage in this execution


def finalize(job: FinalizeJob, clients: Clients, settings: Settings, now: datetime) -> Verdict:
    """Record the approver, approve and tag the package, emit ModelDeployed and notify; any refused
    call fails the job."""
    deployed_at = now.replace(microsecond=0).isoformat()
    try:
        approval = find_approval(clients.codepipeline, job.job_id, job.execution_id, job.stage)
        approval = _person_behind(clients.sagemaker, job, approval)
    except ClientError as error:
        return _refused(job, "read who approved the deployment", error)
    summary = _summary(job, approval)
    steps: list[tuple[str, Callable[[], object]]] = [
        ("approve the model package", lambda: _approve(clients.sagemaker, job, summary)),
        ("tag the model package", lambda: _tag(clients.sagemaker, job, deployed_at, approval)),
        ("emit ModelDeployed", lambda: _announce(clients.events, settings, job, deployed_at, approval)),
        ("notify", lambda: _notify(clients.sns, settings, job, summary)),
    ]
    for name, step in steps:
        try:
            step()
        except ClientError as error:
            return _refused(job, name, error)
        except PublishError as error:
            return Verdict(False, f"could not {name} for {job.model_package_arn}: {error}")
    return Verdict(True, f"{job.model_name} {job.model_version}: {summary}")


def _person_behind(sagemaker: Any, job: FinalizeJob, approval: Approval | None) -> Approval | None:
    """The approval with the person who decided, when the registry-approval function or the provisioning
    API answered it: CodePipeline then names their role, and they record the person on the package. The
    person counts only if the action's own summary (written by that function) names them too."""
    if approval is None:
        return None
    described = sagemaker.describe_model_package(ModelPackageName=job.model_package_arn)
    person = (described.get("CustomerMetadataProperties") or {}).get(APPROVER_KEY)
    if not person or not approval.comment.startswith("Approved ") or f" by {person}" not in approval.comment:
        return approval
    return replace(approval, approved_by=person)


def _summary(job: FinalizeJob, approval: Approval | None) -> str:
    deployed = (
        f"Deployed to {job.stage} endpoint {job.endpoint_name} by pipeline execution {job.execution_id}"
    )
    if approval is None:
        return f"{deployed} (no approval action in this stage)"
    comment = f": {approval.comment}" if approval.comment else ""
    return f"{deployed}, approved by {approval.approved_by}{comment}"


def _approve(sagemaker: Any, job: FinalizeJob, summary: str) -> None:
    sagemaker.update_model_package(
        ModelPackageArn=job.model_package_arn,
        ModelApprovalStatus="Approved",
        ApprovalDescription=summary[:MAX_APPROVAL_DESCRIPTION],
    )


def _tag(sagemaker: Any, job: FinalizeJob, deployed_at: str, approval: Approval | None) -> None:
    tags = {TAG_ENDPOINT: job.endpoint_name, TAG_DEPLOYED_AT: deployed_at, TAG_EXECUTION: job.execution_id}
    if approval is not None:
        tags[TAG_APPROVED_BY] = approval.approved_by
    sagemaker.add_tags(
        ResourceArn=job.model_package_arn, Tags=[{"Key": k, "Value": v[:256]} for k, v in tags.items()]
    )


def _announce(
    events: Any, settings: Settings, job: FinalizeJob, deployed_at: str, approval: Approval | None
) -> None:
    detail = {
        "model_name": job.model_name,
        "version": job.model_version,
        "model_package_arn": job.model_package_arn,
        "endpoint_name": job.endpoint_name,
        "stage": job.stage,
        "execution_id": job.execution_id,
        "deployed_at": deployed_at,
        "approved_by": approval.approved_by if approval else None,
        "approval_comment": approval.comment if approval else None,
        "approved_at": approval.approved_at if approval else None,
    }
    put_event(events, settings.event_bus_name, DetailType.MODEL_DEPLOYED, detail)


def _notify(sns: Any, settings: Settings, job: FinalizeJob, summary: str) -> None:
    subject = f"Model deployed: {job.model_name} {job.model_version} ({job.stage})"
    message = (
        f"{job.model_name} {job.model_version} is live. {summary}.\nModel package: {job.model_package_arn}"
    )
    notify(sns, settings.topic_arn, subject, message)


def _refused(job: FinalizeJob, step: str, error: ClientError) -> Verdict:
    details = error.response.get("Error", {})
    code, text = details.get("Code", "Unknown"), details.get("Message", "")
    kind = "PermissionError" if code in _PERMISSION_CODES else "JobFailed"
    return Verdict(False, f"could not {step} for {job.model_package_arn}: {code}: {text}", kind)
