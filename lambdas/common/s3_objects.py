"""Reads of S3 objects where "not there" is an answer, not an error."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

# What S3 answers for a missing key (HeadObject says 404/NotFound, GetObject NoSuchKey).
MISSING_CODES = frozenset({"404", "NoSuchKey", "NotFound", "NoSuchVersion"})
# Metadata key of the digest the register function puts on each registered (sealed) artifact copy.
SHA256_METADATA = "sha256"


def head_or_none(s3: Any, bucket: str, key: str) -> dict[str, Any] | None:
    """HeadObject's answer, or None when there is no such object (other errors raise)."""
    try:
        head: dict[str, Any] = s3.head_object(Bucket=bucket, Key=key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in MISSING_CODES:
            return None
        raise
    return head


def get_or_none(s3: Any, bucket: str, key: str, version_id: str | None = None) -> dict[str, Any] | None:
    """GetObject's answer (its Body still to read), or None when there is no such object or version."""
    version = {"VersionId": version_id} if version_id else {}
    try:
        response: dict[str, Any] = s3.get_object(Bucket=bucket, Key=key, **version)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in MISSING_CODES:
            return None
        raise
    return response


def object_exists(s3: Any, bucket: str, key: str) -> bool:
    """Whether the object exists (HeadObject; a missing key is an answer, other errors raise)."""
    return head_or_none(s3, bucket, key) is not None


def read_json(s3: Any, bucket: str, key: str) -> Any | None:
    """The object's JSON document, or None when there is no such object."""
    response = get_or_none(s3, bucket, key)
    return None if response is None else json.loads(response["Body"].read())


def sealed_digest(s3: Any, bucket: str, key: str) -> str | None:
    """The digest recorded on a sealed artifact copy; None when the copy (or its digest) is absent."""
    head = head_or_none(s3, bucket, key)
    digest: str | None = None if head is None else (head.get("Metadata") or {}).get(SHA256_METADATA)
    return digest
