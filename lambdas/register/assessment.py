"""Assess one upload: every check on the manifest and artifact, collecting all problems."""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lambdas.common.s3_objects import get_or_none, head_or_none
from lambdas.register.archive import inspect_archive
from lambdas.register.digest import HashingReader, open_object
from lambdas.register.settings import Limits
from lambdas.register.upload import Upload
from mlops_manifest.problems import Problem
from mlops_manifest.serving_image import serving_image
from mlops_manifest.validate import MAX_MANIFEST_BYTES, validate_manifest

if TYPE_CHECKING:
    from mlops_drift.profile import DatasetProfile
    from mlops_manifest.manifest import Manifest


@dataclass
class Assessment:
    """The outcome of all checks on an upload."""

    problems: list[Problem] = field(default_factory=list)
    manifest: Manifest | None = None
    manifest_sha256: str = ""
    image_uri: str | None = None
    artifact_key: str | None = None
    artifact_sha256: str | None = None
    artifact_version_id: str | None = None
    baseline: DatasetProfile | None = None


def assess(
    s3: Any, upload: Upload, limits: Limits, region: str, image_accounts: Collection[str] = ()
) -> Assessment:
    """Run every check that does not need the registry; never raises for bad input."""
    result = Assessment()
    if upload.segments is None:
        result.problems.append(
            Problem("source_key", repr(upload.key), "models/<model-name>/<version>/manifest.json", "bad_key")
        )
    read = _read_manifest(s3, upload, result)
    if read is None:
        return result
    parsed = validate_manifest(read[0], size=read[1])
    if isinstance(parsed, list):
        result.problems.extend(parsed)
        return result
    result.manifest = parsed
    result.problems.extend(_path_problems(parsed, upload))
    _resolve_image(parsed, region, image_accounts, result)
    _check_artifact(s3, upload, parsed, limits, result)
    if parsed.monitoring.enabled:
        _check_baseline(s3, upload.bucket, parsed, limits, result)
    return result


def _check_baseline(s3: Any, bucket: str, manifest: Manifest, limits: Limits, result: Assessment) -> None:
    """Profile the drift baseline once; its problems join the others."""
    # Deferred: numpy and the drift engine load only for uploads that enable monitoring.
    from lambdas.register.baseline import assess_baseline

    baseline = assess_baseline(s3, bucket, manifest.monitoring, limits.max_baseline_bytes)
    result.problems.extend(baseline.problems)
    result.baseline = baseline.profile


def _read_manifest(s3: Any, upload: Upload, result: Assessment) -> tuple[bytes, int] | None:
    """(first MAX_MANIFEST_BYTES + 1 bytes, full size) of the manifest version named by the event."""
    response = get_or_none(s3, upload.bucket, upload.key, upload.version_id)
    if response is None:
        result.problems.append(
            Problem("$", "no such manifest object (deleted?)", "an existing manifest.json", "missing")
        )
        return None
    raw: bytes = response["Body"].read(MAX_MANIFEST_BYTES + 1)
    result.manifest_sha256 = hashlib.sha256(raw).hexdigest()
    return raw, int(response.get("ContentLength") or len(raw))


def _path_problems(manifest: Manifest, upload: Upload) -> list[Problem]:
    """The manifest's model name and version must equal the folders it was uploaded to."""
    if upload.segments is None:
        return []
    model, version = upload.segments
    problems = []
    if manifest.model_name != model:
        problems.append(
            Problem(
                "model_name",
                repr(manifest.model_name),
                f"'{model}', the model folder of the upload path",
                "path_mismatch",
            )
        )
    if manifest.version != version:
        problems.append(
            Problem(
                "version",
                repr(manifest.version),
                f"'{version}', the version folder of the upload path",
                "path_mismatch",
            )
        )
    return problems


def _resolve_image(manifest: Manifest, region: str, accounts: Collection[str], result: Assessment) -> None:
    """Resolve the serving image (mlops_manifest.serving_image), adding any problem."""
    result.image_uri, problems = serving_image(manifest, region, accounts)
    result.problems.extend(problems)


def _check_artifact(s3: Any, upload: Upload, manifest: Manifest, limits: Limits, result: Assessment) -> None:
    """The artifact exists, is within size limits, is a safe tar and has the declared sha256."""
    key = upload.folder + manifest.artifact.file_name
    result.artifact_key = key
    head = head_or_none(s3, upload.bucket, key)
    if head is None:
        found = f"no object at s3://{upload.bucket}/{key}"
        allowed = "an artifact uploaded next to the manifest"
        result.problems.append(Problem("artifact.file_name", found, allowed, "artifact_missing"))
        return
    size = int(head["ContentLength"])
    if size > limits.max_artifact_bytes:
        result.problems.append(
            Problem("artifact", f"{size} bytes", f"at most {limits.max_artifact_bytes} bytes", "too_large")
        )
        return
    version_id = head.get("VersionId")
    result.artifact_version_id = version_id if version_id and version_id != "null" else None
    reader = HashingReader(open_object(s3, upload.bucket, key, result.artifact_version_id))
    result.problems.extend(inspect_archive(reader, limits, manifest.framework))
    reader.drain()
    result.artifact_sha256 = reader.hexdigest()
    if result.artifact_sha256 != manifest.artifact.sha256:
        found = f"declared {manifest.artifact.sha256}, artifact hashes to {result.artifact_sha256}"
        result.problems.append(
            Problem("artifact.sha256", found, "the sha256 of the uploaded artifact", "digest_mismatch")
        )
