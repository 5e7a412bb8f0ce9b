"""Resolve what a deployment runs from the registration record of its model package, never from the caller.

A pipeline execution names a model package and its version label; whoever may start an execution could
name anything. The image and artifact the stage deploys are therefore taken from the package only when
the package is the one registration recorded for that label, still names the recorded image and sealed
artifact, is not rejected, and the sealed artifact still carries the recorded digest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from lambdas.common.codepipeline_job import Verdict
from lambdas.common.duties import requested_by, same_principal
from lambdas.common.pipeline_approval import find_approval
from lambdas.common.registration_record import RegistrationRecord, read_record
from lambdas.common.s3_objects import sealed_digest
from lambdas.common.uploaders import read_uploader
from lambdas.resolve_package.job import ResolveJob
from lambdas.resolve_package.settings import Settings
from mlops_contract.registry_layout import registered_artifact_key
from mlops_contract.serving import BLUEPRINT_VARIABLES, resolved_parameters

_NOT_FOUND = {"ValidationException", "ResourceNotFound"}


@dataclass(frozen=True)
class Clients:
    """The boto3 clients the resolve step uses (the CodePipeline client reports the job)."""

    sagemaker: Any
    s3: Any
    codepipeline: Any


def resolve(job: ResolveJob, clients: Clients, settings: Settings) -> Verdict:
    """Pass with the recorded ImageUri and ModelDataUrl and the package's container variables as output
    variables, or fail naming every mismatch."""
    label = f"{job.model_name} {job.model_version}"
    try:
        package = clients.sagemaker.describe_model_package(ModelPackageName=job.model_package_arn)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") not in _NOT_FOUND:
            raise
        return _refused(job, [f"there is no model package {job.model_package_arn}"])
    record = read_record(clients.s3, settings.registry_bucket, job.model_name, job.model_version)
    if record is None:
        return _refused(job, [f"{label} was never registered (no registration record)"])
    environment = _container(package).get("Environment") or {}
    problems = _package_problems(job, package, record) + _environment_problems(environment, record)
    if not problems:
        problems = _artifact_problems(clients.s3, settings.registry_bucket, record)
    if not problems and job.approval_required:
        problems = _duty_problems(job, record, clients, settings)
    if problems:
        return _refused(job, problems)
    # The container variables come from the package itself (equal to the record, checked above).
    outputs = {"ImageUri": record.image_uri, "ModelDataUrl": record.model_data_url}
    outputs |= resolved_parameters(environment)
    return Verdict(True, f"{label}: {record.model_package_arn} as registered", output_variables=outputs)


def _package_problems(job: ResolveJob, package: dict[str, Any], record: RegistrationRecord) -> list[str]:
    """How the named package differs from what registration recorded for the label."""
    problems = []
    if record.model_package_arn != job.model_package_arn:
        problems.append(
            f"the registered package of {job.model_name} {job.model_version} is {record.model_package_arn}"
        )
    if package.get("ModelApprovalStatus") == "Rejected":
        problems.append("the model package was rejected in the model registry")
    containers = (package.get("InferenceSpecification") or {}).get("Containers") or []
    named = [(c.get("Image"), c.get("ModelDataUrl")) for c in containers]
    if named != [(record.image_uri, record.model_data_url)]:
        problems.append(
            f"the package names {named}, not the registered image {record.image_uri} "
            f"with artifact {record.model_data_url}"
        )
    return problems


def _container(package: dict[str, Any]) -> dict[str, Any]:
    """The package's first container (registration creates exactly one; a package without any: {})."""
    containers = (package.get("InferenceSpecification") or {}).get("Containers") or [{}]
    found: dict[str, Any] = containers[0]
    return found


def _environment_problems(environment: dict[str, str], record: RegistrationRecord) -> list[str]:
    """The package's container environment is the registered one, and holds only what the blueprint passes."""
    problems = []
    registered = record.container_environment()
    if environment != registered:
        problems.append(
            f"the package's container environment {_listed(environment)} is not the registered "
            f"{_listed(registered)}"
        )
    unknown = sorted(set(environment) - BLUEPRINT_VARIABLES)
    if unknown:
        problems.append(f"the endpoint blueprint cannot pass the container variables {', '.join(unknown)}")
    return problems


def _listed(environment: dict[str, str]) -> str:
    """An environment in words: its names and values, or 'none'."""
    return ", ".join(f"{k}={v}" for k, v in sorted(environment.items())) or "(none)"


def _artifact_problems(s3: Any, bucket: str, record: RegistrationRecord) -> list[str]:
    """The sealed artifact is where the record says, with the recorded digest."""
    key = registered_artifact_key(record.artifact_sha256)
    if record.model_data_url != f"s3://{bucket}/{key}":
        return [f"the recorded artifact {record.model_data_url} is not the sealed copy s3://{bucket}/{key}"]
    digest = sealed_digest(s3, bucket, key)
    if digest is None:
        return [
            f"the registered artifact s3://{bucket}/{key} is missing or does not carry its recorded digest"
        ]
    if digest != record.artifact_sha256:
        return [f"the registered artifact s3://{bucket}/{key} does not carry its recorded digest"]
    return []


def _duty_problems(
    job: ResolveJob, record: RegistrationRecord, clients: Clients, settings: Settings
) -> list[str]:
    """The stage's approver is on record and is not the person who uploaded the model version."""
    label = f"{job.model_name} {job.model_version}"
    approval = find_approval(clients.codepipeline, job.job_id, job.execution_id, job.stage)
    if approval is None:
        return [f"the {job.stage} stage needs an approval and this execution has none"]
    uploader = read_uploader(clients.s3, settings.registry_bucket, record.manifest_request_id)
    if uploader is None:
        return [
            f"who uploaded {label} is not on record yet (CloudTrail delivers it within minutes of the "
            "upload), so the approval cannot be checked; retry the stage"
        ]
    requester = requested_by(clients.s3, settings.registry_bucket, record)
    if same_principal(uploader.identity, approval.approved_by) or same_principal(
        requester, approval.approved_by
    ):
        return [f"{approval.approved_by} uploaded {label} and cannot also approve it; another person must"]
    return []


def _refused(job: ResolveJob, problems: list[str]) -> Verdict:
    """A failed job that names every reason; nothing is deployed to the stage."""
    reasons = "; ".join(problems)
    return Verdict(False, f"refused to deploy {job.model_package_arn} to {job.stage}: {reasons}")
