"""POST /uploads: pre-signed PUTs that S3 accepts only for the declared bytes, under a version that is new."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta
from typing import Any

from lambdas.common.duties import REQUESTED_BY_METADATA
from lambdas.common.s3_objects import object_exists
from lambdas.provisioning_api.errors import conflict, invalid
from lambdas.provisioning_api.settings import Settings
from lambdas.register.upload import MANIFEST_NAME, MODELS_PREFIX
from mlops_api.models import PresignedPut, UploadGrant, UploadRequest
from mlops_contract.registry_layout import registration_record_key
from mlops_manifest.problems import Problem

# Who asked for the upload, signed into both PUTs so nobody can change it (x-amz-meta-requested-by).


def grant_upload(
    request: UploadRequest, caller: str, s3: Any, settings: Settings, now: datetime
) -> UploadGrant:
    """URLs for the artifact and the manifest of a version never uploaded or registered before."""
    if request.artifact_size_bytes > settings.max_artifact_bytes:
        found = f"{request.artifact_size_bytes} bytes"
        allowed = f"at most {settings.max_artifact_bytes} bytes (the registry's artifact limit)"
        raise invalid(
            "the artifact is too large", [Problem("artifact_size_bytes", found, allowed, "too_large")]
        )
    folder = f"{MODELS_PREFIX}/{request.model_name}/{request.version}/"
    _refuse_existing(s3, settings.registry_bucket, request, folder)
    expires = (now + timedelta(seconds=settings.upload_url_seconds)).isoformat()
    put = _signer(s3, settings, caller, expires)
    return UploadGrant(
        model_name=request.model_name,
        version=request.version,
        artifact=put(
            folder + request.artifact_file_name,
            request.artifact_size_bytes,
            request.artifact_sha256,
            "application/gzip",
        ),
        manifest=put(
            folder + MANIFEST_NAME, request.manifest_size_bytes, request.manifest_sha256, "application/json"
        ),
    )


def _refuse_existing(s3: Any, bucket: str, request: UploadRequest, folder: str) -> None:
    """409 when anything was uploaded under the version's folder or the version is registered."""
    listed = s3.list_objects_v2(Bucket=bucket, Prefix=folder, MaxKeys=1)
    label = f"{request.model_name} version {request.version}"
    if listed.get("Contents"):
        raise conflict(f"{label} was already uploaded; request an upload for a new version")
    if object_exists(s3, bucket, registration_record_key(request.model_name, request.version)):
        raise conflict(f"{label} is already registered; request an upload for a new version")


def _signer(s3: Any, settings: Settings, caller: str, expires_at: str) -> Any:
    """A function that pre-signs one PUT bound to its length, SHA-256 checksum, content type and requester."""

    def put(key: str, size: int, sha256: str, content_type: str) -> PresignedPut:
        checksum = base64.b64encode(bytes.fromhex(sha256)).decode()
        params = {
            "Bucket": settings.registry_bucket,
            "Key": key,
            "ContentLength": size,
            "ContentType": content_type,
            "ChecksumSHA256": checksum,
            "Metadata": {REQUESTED_BY_METADATA: caller},
        }
        url = s3.generate_presigned_url(
            "put_object", Params=params, ExpiresIn=settings.upload_url_seconds, HttpMethod="PUT"
        )
        headers = {
            "Content-Length": str(size),
            "Content-Type": content_type,
            "x-amz-checksum-sha256": checksum,
            f"x-amz-meta-{REQUESTED_BY_METADATA}": caller,
        }
        return PresignedPut(
            url=url, bucket=settings.registry_bucket, key=key, headers=headers, expires_at=expires_at
        )

    return put
