"""Who uploaded what: one record per S3 request under models/, written from CloudTrail's data event.

S3's own `Object Created` event names only the requester's account, so the register function also
receives CloudTrail's record of each put (`AWS API Call via CloudTrail`), which names the identity that
made it, and keeps it under the sealed uploaders/ prefix by S3 request ID. The approval steps look up
the manifest's request there to refuse an uploader approving their own model.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from lambdas.common.s3_objects import read_json
from mlops_contract.registry_layout import uploader_record_key


@dataclass(frozen=True)
class UploaderRecord:
    """One put under models/: who made it, when, and which object it created."""

    identity: str  # the caller's ARN as CloudTrail reports it (userIdentity.arn)
    request_id: str
    key: str
    version_id: str | None
    event_time: str


def read_uploader(s3: Any, bucket: str, request_id: str | None) -> UploaderRecord | None:
    """The record of the request, or None when CloudTrail has not delivered it (or none was made)."""
    if not request_id:
        return None
    raw = read_json(s3, bucket, uploader_record_key(request_id))
    if raw is None:
        return None
    return UploaderRecord(**{name: raw.get(name) for name in UploaderRecord.__dataclass_fields__})


def write_uploader(s3: Any, bucket: str, record: UploaderRecord) -> str:
    """Store the record under its request ID; return the key."""
    key = uploader_record_key(record.request_id)
    body = json.dumps(asdict(record), sort_keys=True).encode()
    s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/json")
    return key
