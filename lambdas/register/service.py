"""The register decision: assess an upload, then register it or reject it, never anything in between."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from lambdas.common.events import DetailType
from lambdas.common.publishing import put_event
from lambdas.common.registration_record import RegistrationRecord, read_record, write_record
from lambdas.register.assessment import Assessment, assess
from lambdas.register.registration import (
    PackageRequest,
    Registration,
    create_package,
    ensure_group,
    find_registration,
    package_environment,
    serving_program,
)
from lambdas.register.rejection import Destinations, reject
from lambdas.register.sealed import seal_artifact
from lambdas.register.settings import Settings
from lambdas.register.upload import Upload
from lambdas.register.version_claim import Claim, RegistrationInProgressError, claim_version
from mlops_contract.registry_layout import baseline_profile_key, lineage_key, registered_artifact_key
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
    bucket = settings.registry_bucket
    result = assess(clients.s3, upload, settings.limits, settings.region, settings.image_accounts)
    record = _recorded(clients.s3, bucket, result)
    leftover = None
    if record is None:
        leftover = _leftover(clients.sagemaker, bucket, result)
        _claim(clients.dynamodb, settings.idempotency_table, upload, result, now)
    if result.problems or result.manifest is None:
        where = Destinations(bucket, settings.rejected_prefix, settings.topic_arn, settings.event_bus_name)
        key = reject(clients, where, upload, result.problems, now)
        return Outcome("rejected", report_key=key, problem_count=len(result.problems))
    if record is not None:  # written once: neither the baseline nor the record is touched again
        _announce(clients.events, settings, upload, result, record, now, already=True)
        return Outcome("already_registered", model_package_arn=record.model_package_arn)
    arn, url = _package(clients, bucket, upload, result, leftover)
    record = _record(upload, result, arn, url, now)
    write_record(clients.s3, bucket, record)
    _announce(clients.events, settings, upload, result, record, now, already=False)
    return Outcome("registered", model_package_arn=arn)


def _package(
    clients: Clients, bucket: str, upload: Upload, result: Assessment, leftover: Registration | None
) -> tuple[str, str]:
    """Baseline, sealed artifact and lineage stored, then the package (or the one an earlier attempt
    left): its ARN and the sealed artifact's URL."""
    # Stored before the package exists, so a registered version never lacks its baseline.
    _store_baseline(clients.s3, bucket, result)
    assert result.artifact_key is not None and result.artifact_sha256 is not None
    url = seal_artifact(
        clients.s3, bucket, result.artifact_key, result.artifact_version_id, result.artifact_sha256
    )
    lineage = _store_lineage(clients.s3, bucket, result)
    if leftover is not None:
        return leftover.package_arn, url
    return _register(clients.sagemaker, upload, result, url, lineage), url


def _recorded(s3: Any, bucket: str, result: Assessment) -> RegistrationRecord | None:
    """The record of this version label; a record of other bytes makes the upload a version conflict."""
    if result.manifest is None or result.problems:
        return None
    record = read_record(s3, bucket, result.manifest.model_name, result.manifest.version)
    if record is not None and record.artifact_sha256 != result.artifact_sha256:
        allowed = (
            f"a version label not yet registered (already {record.model_package_arn} "
            f"with sha256 {record.artifact_sha256})"
        )
        result.problems.append(Problem("version", repr(result.manifest.version), allowed, "version_conflict"))
    return record


def _leftover(sm: Any, bucket: str, result: Assessment) -> Registration | None:
    """A package of this label without a record: kept only when it is exactly what registration creates
    (an earlier attempt stopped before its record); any other such package is refused as foreign."""
    if result.manifest is None or result.problems:
        return None
    existing = find_registration(sm, result.manifest.model_name, result.manifest.version)
    if existing is None:
        return None
    assert result.artifact_sha256 is not None
    sealed = f"s3://{bucket}/{registered_artifact_key(result.artifact_sha256)}"
    if existing.artifact_sha256 == result.artifact_sha256 and (
        existing.image_uri,
        existing.model_data_url,
    ) == (
        result.image_uri,
        sealed,
    ):
        return existing
    allowed = (
        f"a version label with no model package that registration did not create ({existing.package_arn} "
        f"names image {existing.image_uri or 'none'} and artifact {existing.model_data_url or 'none'}); "
        "choose a new version label"
    )
    result.problems.append(Problem("version", repr(result.manifest.version), allowed, "version_conflict"))
    return None


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


def _store_baseline(s3: Any, bucket: str, result: Assessment) -> None:
    """Write the baseline profile to baselines/<model>/<version>/profile.json (sealed once registered)."""
    if result.baseline is None or result.manifest is None:
        return
    from lambdas.register.baseline import drift_thresholds

    key = baseline_profile_key(result.manifest.model_name, result.manifest.version)
    document = result.baseline.to_dict() | {"drift_thresholds": drift_thresholds(result.manifest.monitoring)}
    body = json.dumps(document, separators=(",", ":"), allow_nan=False).encode()
    s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/json")


def _store_lineage(s3: Any, bucket: str, result: Assessment) -> str | None:
    """Write the manifest's lineage next to the version's record (sealed); return its s3:// URI, if any."""
    manifest = result.manifest
    if manifest is None or manifest.lineage is None:
        return None
    key = lineage_key(manifest.model_name, manifest.version)
    body = manifest.lineage.model_dump_json(exclude_none=True, indent=1).encode()
    s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/json")
    return f"s3://{bucket}/{key}"


def _baseline_location(bucket: str, result: Assessment) -> dict[str, str] | None:
    """Where the version's baseline profile is, when it has one."""
    if result.baseline is None or result.manifest is None:
        return None
    return {
        "bucket": bucket,
        "key": baseline_profile_key(result.manifest.model_name, result.manifest.version),
    }


def _record(upload: Upload, result: Assessment, arn: str, url: str, now: datetime) -> RegistrationRecord:
    """The record of this registration: what its package deploys, from which upload."""
    manifest = result.manifest
    assert manifest is not None and result.image_uri is not None and result.artifact_sha256 is not None
    return RegistrationRecord(
        model_name=manifest.model_name,
        version=manifest.version,
        model_package_arn=arn,
        image_uri=result.image_uri,
        model_data_url=url,
        artifact_sha256=result.artifact_sha256,
        source_key=result.artifact_key or "",
        source_version_id=result.artifact_version_id,
        uploader=upload.uploader,
        registered_at=now.isoformat(),
        manifest_request_id=upload.request_id,
        serving_program=serving_program(manifest),
        environment=package_environment(manifest),
    )


def _register(sm: Any, upload: Upload, result: Assessment, artifact_url: str, lineage_uri: str | None) -> str:
    """Create the group on first use and the package version."""
    manifest = result.manifest
    assert manifest is not None and result.image_uri is not None and result.artifact_sha256 is not None
    ensure_group(sm, manifest)
    request = PackageRequest(
        manifest=manifest,
        upload=upload,
        image_uri=result.image_uri,
        artifact_url=artifact_url,
        artifact_sha256=result.artifact_sha256,
        artifact_version_id=result.artifact_version_id,
        manifest_sha256=result.manifest_sha256,
        lineage_uri=lineage_uri,
    )
    return create_package(sm, request)


def _announce(
    events: Any,
    settings: Settings,
    upload: Upload,
    result: Assessment,
    record: RegistrationRecord,
    now: datetime,
    *,
    already: bool,
) -> None:
    """Emit ModelRegistered with everything the deployment pipeline needs."""
    manifest = result.manifest
    assert manifest is not None
    detail = {
        "model_name": manifest.model_name,
        "version": manifest.version,
        "model_package_arn": record.model_package_arn,
        "model_package_group": manifest.model_name,
        **_provenance(upload, result, record),
        "inference_type": str(manifest.inference.type),
        "uploader": upload.uploader,
        "registered_at": now.isoformat(),
        "already_registered": already,
        "baseline_profile": _baseline_location(settings.registry_bucket, result),
        **_settings_sections(manifest),
    }
    put_event(events, settings.event_bus_name, DetailType.MODEL_REGISTERED, detail)


def _provenance(upload: Upload, result: Assessment, record: RegistrationRecord) -> dict[str, Any]:
    """Which bytes, image and manifest object the registered version is."""
    return {
        "artifact": {
            "url": record.model_data_url,
            "sha256": record.artifact_sha256,
            "source_key": result.artifact_key,
            "version_id": result.artifact_version_id,
        },
        "manifest": {
            "bucket": upload.bucket,
            "key": upload.key,
            "version_id": upload.version_id,
            "sha256": result.manifest_sha256,
        },
        "image_uri": record.image_uri,
    }


def _settings_sections(manifest: Manifest) -> dict[str, Any]:
    """Deployment-relevant manifest sections; the smoke-test payload stays in the manifest (event size)."""
    sections = manifest.model_dump(
        mode="json", include={"inference", "deployment", "data_capture", "monitoring"}
    )
    sections["smoke_test"] = manifest.smoke_test is not None
    sections["owner"] = manifest.owner
    comparison = manifest.lineage.comparison if manifest.lineage else None  # trained versions only
    sections["comparison"] = comparison.model_dump(mode="json") if comparison else None
    return sections
