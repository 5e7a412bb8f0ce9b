"""The register decision: assess an upload, then register it or reject it, never anything in between."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from lambdas.common.events import DetailType
from lambdas.common.publishing import put_event
from lambdas.register.assessment import Assessment, assess
from lambdas.register.registration import (
    PackageRequest,
    Registration,
    create_package,
    ensure_group,
    find_registration,
)
from lambdas.register.rejection import Destinations, reject
from lambdas.register.settings import Settings
from lambdas.register.upload import Upload
from lambdas.register.version_claim import Claim, RegistrationInProgressError, claim_version
from mlops_manifest.problems import Problem

if TYPE_CHECKING:
    from mlops_manifest.manifest import Manifest


@dataclass(frozen=True)
class Clients:
    """The boto3 clients the register function uses."""

    s3: Any
    sagemaker: Any
    sns: Any
    events: Any
    dynamodb: Any


@dataclass(frozen=True)
class Outcome:
    """What happened to an upload."""

    status: str  # "registered" | "already_registered" | "rejected"
    model_package_arn: str | None = None
    report_key: str | None = None
    problem_count: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready summary (what the idempotency layer stores)."""
        return {
            "status": self.status,
            "model_package_arn": self.model_package_arn,
            "report_key": self.report_key,
            "problem_count": self.problem_count,
        }


def register_upload(upload: Upload, clients: Clients, settings: Settings, now: datetime) -> Outcome:
    """Register a valid upload as a model package version, or reject it with every problem found."""
    result = assess(clients.s3, upload, settings.limits, settings.region, settings.image_accounts)
    existing = _existing(clients.sagemaker, result)
    if existing is None:
        _claim(clients.dynamodb, settings.idempotency_table, upload, result, now)
    if result.problems or result.manifest is None:
        where = Destinations(
            settings.registry_bucket, settings.rejected_prefix, settings.topic_arn, settings.event_bus_name
        )
        key = reject(clients, where, upload, result.problems, now)
        return Outcome("rejected", report_key=key, problem_count=len(result.problems))
    # Stored before the package exists, so a registered version never lacks its baseline.
    baseline = _store_baseline(clients.s3, settings.registry_bucket, result)
    if existing is not None:
        _announce(
            clients.events,
            settings,
            upload,
            result,
            existing.package_arn,
            now,
            already=True,
            baseline=baseline,
        )
        return Outcome("already_registered", model_package_arn=existing.package_arn)
    arn = _register(clients.sagemaker, upload, result)
    _announce(clients.events, settings, upload, result, arn, now, already=False, baseline=baseline)
    return Outcome("registered", model_package_arn=arn)


def _existing(sm: Any, result: Assessment) -> Registration | None:
    """The version already registered under this label; a different digest becomes a problem."""
    if result.manifest is None or result.problems:
        return None
    existing = find_registration(sm, result.manifest.model_name, result.manifest.version)
    if existing is not None and existing.artifact_sha256 != result.artifact_sha256:
        allowed = (
            f"a version label not yet registered (already {existing.package_arn} "
            f"with sha256 {existing.artifact_sha256})"
        )
        result.problems.append(Problem("version", repr(result.manifest.version), allowed, "version_conflict"))
    return existing


def _claim(dynamodb: Any, table: str, upload: Upload, result: Assessment, now: datetime) -> None:
    """Hold the version label before anything is stored for it; another artifact's live claim is a problem."""
    if result.manifest is None or result.problems or result.artifact_sha256 is None:
        return
    label = f"{result.manifest.model_name}/{result.manifest.version}"
    mine = Claim(upload.client_token, result.artifact_sha256, now.timestamp())
    held = claim_version(dynamodb, table, label, mine)
    if held is None:
        return
    if held.sha256 == result.artifact_sha256:
        raise RegistrationInProgressError(
            f"{label} is being registered by another upload of the same artifact"
        )
    allowed = f"a version label no other upload is registering (another upload with sha256 {held.sha256} is)"
    result.problems.append(Problem("version", repr(result.manifest.version), allowed, "version_conflict"))


def _store_baseline(s3: Any, bucket: str, result: Assessment) -> dict[str, str] | None:
    """Write the baseline profile to baselines/<model>/<version>/profile.json; its location, or None."""
    if result.baseline is None or result.manifest is None:
        return None
    from lambdas.register.baseline import drift_thresholds, profile_key

    key = profile_key(result.manifest.model_name, result.manifest.version)
    document = result.baseline.to_dict() | {"drift_thresholds": drift_thresholds(result.manifest.monitoring)}
    body = json.dumps(document, separators=(",", ":"), allow_nan=False).encode()
    s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/json")
    return {"bucket": bucket, "key": key}


def _register(sm: Any, upload: Upload, result: Assessment) -> str:
    """Create the group on first use and the package version."""
    manifest = result.manifest
    assert manifest is not None and result.image_uri is not None and result.artifact_sha256 is not None
    ensure_group(sm, manifest)
    request = PackageRequest(
        manifest=manifest,
        upload=upload,
        image_uri=result.image_uri,
        artifact_url=f"s3://{upload.bucket}/{result.artifact_key}",
        artifact_sha256=result.artifact_sha256,
        artifact_version_id=result.artifact_version_id,
        manifest_sha256=result.manifest_sha256,
    )
    return create_package(sm, request)


def _announce(
    events: Any,
    settings: Settings,
    upload: Upload,
    result: Assessment,
    arn: str,
    now: datetime,
    *,
    already: bool,
    baseline: dict[str, str] | None,
) -> None:
    """Emit ModelRegistered with everything the deployment pipeline needs."""
    manifest = result.manifest
    assert manifest is not None
    detail = {
        "model_name": manifest.model_name,
        "version": manifest.version,
        "model_package_arn": arn,
        "model_package_group": manifest.model_name,
        "artifact": {
            "url": f"s3://{upload.bucket}/{result.artifact_key}",
            "sha256": result.artifact_sha256,
            "version_id": result.artifact_version_id,
        },
        "manifest": {
            "bucket": upload.bucket,
            "key": upload.key,
            "version_id": upload.version_id,
            "sha256": result.manifest_sha256,
        },
        "image_uri": result.image_uri,
        "inference_type": str(manifest.inference.type),
        "uploader": upload.uploader,
        "registered_at": now.isoformat(),
        "already_registered": already,
        "baseline_profile": baseline,
        **_settings_sections(manifest),
    }
    put_event(events, settings.event_bus_name, DetailType.MODEL_REGISTERED, detail)


def _settings_sections(manifest: Manifest) -> dict[str, Any]:
    """Deployment-relevant manifest sections; the smoke-test payload stays in the manifest (event size)."""
    sections = manifest.model_dump(
        mode="json", include={"inference", "deployment", "data_capture", "monitoring"}
    )
    sections["smoke_test"] = manifest.smoke_test is not None
    sections["owner"] = manifest.owner
    return sections
