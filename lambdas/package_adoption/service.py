"""Adopt one model package registered elsewhere: check it, copy its artifact, write its manifest last.

The manifest lands where an upload's would, so the register function applies every check of an upload
(schema, image allow-list, instance types, archive safety, the serving container's model file) and the
deployment pipeline, approval and monitoring follow with no second path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from botocore.exceptions import ClientError

from lambdas.common.artifact_copy import ArtifactCopyError, copy_artifact
from lambdas.common.duties import REQUESTED_BY_METADATA
from lambdas.common.publishing import notify
from lambdas.common.registry_status import META_SHA256
from lambdas.common.s3_objects import object_exists
from lambdas.common.s3_uri import split_s3_uri
from lambdas.package_adoption.package_manifest import adopted_version, manifest_document, source_problems
from lambdas.package_adoption.settings import REFUSALS_PREFIX, Settings, Target
from lambdas.package_adoption.targets import target_of
from mlops_manifest.validate import validate_manifest

ARTIFACT_FILE, MANIFEST_FILE = "model.tar.gz", "manifest.json"
_PLACEHOLDER_SHA256 = "0" * 64  # the draft is checked before a byte is copied; the digest comes later


class Outcome(StrEnum):
    """What became of one package event."""

    ADOPTED = "adopted"
    IGNORED = "ignored"  # not an adopted group, not completed, or one of this registry's own packages
    DUPLICATE = "duplicate"  # already adopted or already refused
    REFUSED = "refused"


@dataclass(frozen=True)
class Clients:
    """boto3 clients, one per field name."""

    s3: Any
    sagemaker: Any
    sns: Any


@dataclass(frozen=True)
class Result:
    """The outcome for one package and why."""

    outcome: Outcome
    package_arn: str
    reason: str


def adopt(clients: Clients, settings: Settings, detail: dict[str, Any]) -> Result:
    """Adopt the package an event names, or say why not."""
    arn, group = str(detail.get("ModelPackageArn", "")), str(detail.get("ModelPackageGroupName", ""))
    target = target_of(clients.sagemaker, settings, group)
    if target is None:
        return Result(Outcome.IGNORED, arn, f"group {group!r} is not adopted")
    package = clients.sagemaker.describe_model_package(ModelPackageName=arn)
    if package.get("ModelPackageStatus") != "Completed":
        return Result(
            Outcome.IGNORED, arn, f"the package is {package.get('ModelPackageStatus')}, not Completed"
        )
    if META_SHA256 in (package.get("CustomerMetadataProperties") or {}):
        return Result(Outcome.IGNORED, arn, "the package was registered by this registry")
    folder = f"models/{target.model_name}/{adopted_version(package)}/"
    refusal = f"{REFUSALS_PREFIX}{group}/{int(package['ModelPackageVersion'])}.json"
    bucket = settings.registry_bucket
    if object_exists(clients.s3, bucket, folder + MANIFEST_FILE) or object_exists(
        clients.s3, bucket, refusal
    ):
        return Result(Outcome.DUPLICATE, arn, "this package version was already adopted or refused")
    problems = _problems(target, package, settings)
    if problems:
        return _refuse(clients, settings, package, refusal, problems)
    return _copy_and_publish(clients, settings, target, package, folder, refusal)


def _problems(target: Target, package: dict[str, Any], settings: Settings) -> list[str]:
    """Problems of the package as a source, then of the manifest it would become (digest still unknown)."""
    problems = source_problems(package, settings.artifact_buckets)
    if problems:
        return problems
    draft = json.dumps(manifest_document(target, package, _PLACEHOLDER_SHA256)).encode()
    found = validate_manifest(draft)
    return (
        [f"manifest {p.path}: {p.found}; allowed: {p.allowed}" for p in found]
        if isinstance(found, list)
        else []
    )


def _copy_and_publish(
    clients: Clients, settings: Settings, target: Target, package: dict[str, Any], folder: str, refusal: str
) -> Result:
    """Stream the artifact in (hashing it), then write the manifest, which starts registration."""
    url = package["InferenceSpecification"]["Containers"][0]["ModelDataUrl"]
    size = _size(clients.s3, url)
    if size is not None and size > settings.max_artifact_bytes:
        limit = f"the registry's limit of {settings.max_artifact_bytes} bytes (registry.max_artifact_mib)"
        problem = f"its artifact is {size} bytes, more than {limit}"
        return _refuse(clients, settings, package, refusal, [problem])
    try:
        what = "the package's artifact"
        sha256, _ = copy_artifact(
            clients.s3, url, settings.registry_bucket, folder + ARTIFACT_FILE, what=what
        )
    except ArtifactCopyError as error:
        return _refuse(clients, settings, package, refusal, [str(error)])
    document = manifest_document(target, package, sha256)
    return _write_manifest(clients.s3, settings.registry_bucket, folder + MANIFEST_FILE, document, package)


def _write_manifest(
    s3: Any, bucket: str, key: str, document: dict[str, Any], package: dict[str, Any]
) -> Result:
    """Write the manifest once (If-None-Match), naming the package's creator as the version's requester."""
    arn = package["ModelPackageArn"]
    creator = ((package.get("CreatedBy") or {}).get("IamIdentity") or {}).get("Arn")
    metadata = {REQUESTED_BY_METADATA: creator} if isinstance(creator, str) and creator else {}
    body = json.dumps(document, indent=1).encode()
    try:
        s3.put_object(
            Bucket=bucket,
            Key=key,
            Body=body,
            ContentType="application/json",
            Metadata=metadata,
            IfNoneMatch="*",
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in {
            "PreconditionFailed",
            "ConditionalRequestConflict",
        }:
            return Result(Outcome.DUPLICATE, arn, "another delivery of this event adopted it first")
        raise
    return Result(Outcome.ADOPTED, arn, f"registering as s3://{bucket}/{key}")


def _refuse(
    clients: Clients, settings: Settings, package: dict[str, Any], key: str, problems: list[str]
) -> Result:
    """Keep a report of every problem and tell people; the team's package is left as it is."""
    arn = package["ModelPackageArn"]
    report = {"model_package_arn": arn, "problems": problems}
    clients.s3.put_object(
        Bucket=settings.registry_bucket,
        Key=key,
        Body=json.dumps(report, indent=1).encode(),
        ContentType="application/json",
    )
    lines = "\n".join(f"- {problem}" for problem in problems)
    message = f"{arn} was not adopted:\n{lines}\nReport: s3://{settings.registry_bucket}/{key}"
    notify(clients.sns, settings.topic_arn, f"Not adopted: {arn.rsplit('/', 2)[-2]}", message)
    return Result(Outcome.REFUSED, arn, "; ".join(problems))


def _size(s3: Any, url: str) -> int | None:
    """The artifact's size, or None when it cannot be read (the copy then says why)."""
    source_bucket, source_key = split_s3_uri(url)
    try:
        return int(s3.head_object(Bucket=source_bucket, Key=source_key)["ContentLength"])
    except ClientError:
        return None
