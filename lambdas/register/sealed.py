"""The registered artifact: a server-side copy of exactly the object version that was verified.

The register function hashes one object version of the upload, then copies that version to a
content-addressed key that only it may write and nobody may delete (the registry bucket's policy); the
package names only that key, so a later upload to models/ never changes what a package deploys.
"""

from __future__ import annotations

from typing import Any

from lambdas.common.s3_objects import SHA256_METADATA, sealed_digest
from mlops_contract.registry_layout import registered_artifact_key


def seal_artifact(s3: Any, bucket: str, source_key: str, version_id: str | None, sha256: str) -> str:
    """Copy the verified object version to its content-addressed key (once); return its s3:// URL."""
    key = registered_artifact_key(sha256)
    if sealed_digest(s3, bucket, key) != sha256:
        source: dict[str, str] = {"Bucket": bucket, "Key": source_key}
        if version_id:
            source["VersionId"] = version_id
        head = s3.head_object(**source)
        extra: dict[str, Any] = {
            "Metadata": {SHA256_METADATA: sha256},
            "MetadataDirective": "REPLACE",
            "ContentType": "application/gzip",
        }
        # Same encryption as the upload: the bucket's key (its policy refuses puts under another).
        if head.get("ServerSideEncryption") == "aws:kms":
            extra["ServerSideEncryption"] = "aws:kms"
            if head.get("SSEKMSKeyId"):
                extra["SSEKMSKeyId"] = head["SSEKMSKeyId"]
        s3.copy(source, bucket, key, ExtraArgs=extra)  # managed: multipart copy above 8 MiB parts
    return f"s3://{bucket}/{key}"
