"""Reads of small S3 objects where "not there" is an answer, not an error."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

# What S3 answers for a missing key (HeadObject says 404/NotFound, GetObject NoSuchKey).
MISSING_CODES = frozenset({"404", "NoSuchKey", "NotFound", "NoSuchVersion"})
# Metadata key of the digest the register function puts on each registered (sealed) artifact copy.
SHA256_METADATA = "sha256"


def object_exists(s3: Any, bucket: str, key: str) -> bool:
    """Whether the object exists (HeadObject; a missing key is an answer, other errors raise)."""
    try:
        s3.head_object(Bucket=bucket, Key=key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in MISSING_CODES:
            return False
        raise
    return True


def read_json(s3: Any, bucket: str, key: str) -> Any | None:
    """The object's JSON document, or None when there is no such object."""
    try:
        body = s3.get_object(Bucket=bucket, Key=key)["Body"]
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in MISSING_CODES:
            return None
        raise
    return json.loads(body.read())


def sealed_digest(s3: Any, bucket: str, key: str) -> str | None:
    """The digest recorded on a sealed artifact copy; None when the copy (or its digest) is absent."""
    try:
        head = s3.head_object(Bucket=bucket, Key=key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in MISSING_CODES:
            return None
        raise
    digest: str | None = (head.get("Metadata") or {}).get(SHA256_METADATA)
    return digest
