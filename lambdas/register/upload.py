"""The upload being registered: parsed from the EventBridge `Object Created` event."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MODELS_PREFIX = "models"
MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True)
class Upload:
    """One manifest object version in the registry bucket, and who put it there."""

    bucket: str
    key: str
    version_id: str | None
    uploader: str | None
    size: int | None = None
    request_id: str | None = None  # S3's request ID: the key to CloudTrail's record of who uploaded

    @property
    def segments(self) -> tuple[str, str] | None:
        """Return (model, version) when the key is `models/<model>/<version>/manifest.json`."""
        parts = self.key.split("/")
        if len(parts) == 4 and parts[0] == MODELS_PREFIX and parts[3] == MANIFEST_NAME and all(parts[1:3]):
            return parts[1], parts[2]
        return None

    @property
    def folder(self) -> str:
        """Return the key prefix the manifest lives under (artifacts sit beside it)."""
        return self.key.rsplit("/", 1)[0] + "/" if "/" in self.key else ""

    @property
    def idempotency_key(self) -> str:
        """Identity of this exact upload: bucket, key and object version."""
        return f"{self.bucket}/{self.key}#{self.version_id or 'null'}"

    @property
    def client_token(self) -> str:
        """A 36-character token derived from the upload identity (SageMaker ClientToken)."""
        return hashlib.sha256(self.idempotency_key.encode()).hexdigest()[:36]


def parse_event(event: Mapping[str, Any]) -> Upload:
    """Parse an EventBridge S3 `Object Created` event; raise ValueError when it is not one."""
    if event.get("source") != "aws.s3" or event.get("detail-type") != "Object Created":
        raise ValueError("not an S3 Object Created event")
    detail = event.get("detail") or {}
    bucket, obj = detail.get("bucket") or {}, detail.get("object") or {}
    if not isinstance(bucket.get("name"), str) or not isinstance(obj.get("key"), str):
        raise ValueError("event detail lacks bucket.name or object.key")
    size, request_id = obj.get("size"), detail.get("request-id")
    return Upload(
        bucket=bucket["name"],
        key=obj["key"],
        version_id=obj.get("version-id") or None,
        uploader=detail.get("requester") or None,
        size=size if isinstance(size, int) else None,
        request_id=request_id if isinstance(request_id, str) and request_id else None,
    )
