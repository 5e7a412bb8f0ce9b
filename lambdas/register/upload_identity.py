"""CloudTrail's record of a put under models/ becomes an uploader record (who made the request)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lambdas.common.uploaders import UploaderRecord
from mlops_contract.registry_layout import REQUEST_ID

CLOUDTRAIL_DETAIL_TYPE = "AWS API Call via CloudTrail"
# The S3 calls that create an object version under models/.
PUT_EVENTS = ("PutObject", "CompleteMultipartUpload", "CopyObject")


def is_cloudtrail_put(event: Mapping[str, Any]) -> bool:
    """Whether the event is CloudTrail's record of an S3 put (as opposed to S3's Object Created)."""
    detail = event.get("detail")
    return (
        event.get("source") == "aws.s3"
        and event.get("detail-type") == CLOUDTRAIL_DETAIL_TYPE
        and isinstance(detail, Mapping)
        and detail.get("eventName") in PUT_EVENTS
    )


def parse_put(event: Mapping[str, Any], bucket: str) -> UploaderRecord | None:
    """The uploader record of a successful put into `bucket`; None for anything else."""
    detail = event.get("detail") or {}
    request = detail.get("requestParameters") or {}
    identity = _text((detail.get("userIdentity") or {}).get("arn"))
    request_id, key = _text(detail.get("requestID")), _text(request.get("key"))
    if detail.get("errorCode") or request.get("bucketName") != bucket:
        return None
    if identity is None or request_id is None or key is None or not REQUEST_ID.fullmatch(request_id):
        return None
    response = detail.get("responseElements") or {}
    version = response.get("x-amz-version-id")
    return UploaderRecord(
        identity=identity,
        request_id=request_id,
        key=key,
        version_id=version if isinstance(version, str) else None,
        event_time=str(detail.get("eventTime") or event.get("time") or ""),
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
