"""Write-once regional copies of sealed artifacts, verified byte for byte on the way.

The artifact is streamed from the tooling region into a multipart upload here while being hashed; the
upload is completed only when the bytes hash to the digest the sealed key names, and only with
If-None-Match, so a copy is never overwritten (the bucket policy also refuses any other writer and every
delete). A server-side CopyObject cannot be conditional (S3 answers 501 to If-None-Match on a copy) and
would leave nothing to compare the bytes with, so the bytes pass through here once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from lambdas.common.s3_objects import SHA256_METADATA, head_or_none


class CopyRefusedError(ValueError):
    """The copy cannot be made or trusted; the message says why, and nothing was written."""


@dataclass(frozen=True)
class Location:
    """An object: bucket and key."""

    bucket: str
    key: str

    def url(self) -> str:
        """Its s3:// URL."""
        return f"s3://{self.bucket}/{self.key}"


def _digest_on(s3: Any, where: Location) -> str | None:
    """The digest recorded on an object (empty when it carries none); None when there is no object."""
    head = head_or_none(s3, where.bucket, where.key)
    if head is None:
        return None
    return str((head.get("Metadata") or {}).get(SHA256_METADATA, ""))


def ensure_copy(source_s3: Any, s3: Any, source: Location, target: Location, sha256: str, part: int) -> bool:
    """Make the verified copy unless it exists; True when this call wrote it. Refuses every mismatch."""
    present = _digest_on(s3, target)
    if present is not None:
        _check_present(target, present, sha256)
        return False
    if _digest_on(source_s3, source) != sha256:
        raise CopyRefusedError(f"{source.url()} is missing or does not carry its digest {sha256}")
    try:
        _stream(source_s3, s3, source, target, sha256, part)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "PreconditionFailed":
            raise
        # Another run completed the same copy first: keep it if it is the same artifact.
        _check_present(target, _digest_on(s3, target) or "", sha256)
        return False
    return True


def _check_present(target: Location, present: str, sha256: str) -> None:
    if present != sha256:
        raise CopyRefusedError(
            f"{target.url()} already exists with digest {present or 'none'}, not {sha256}; "
            "a regional copy is never overwritten"
        )


def _stream(source_s3: Any, s3: Any, source: Location, target: Location, sha256: str, part: int) -> None:
    """Upload the source in parts while hashing; complete only if the digest matches, else abort."""
    body = source_s3.get_object(Bucket=source.bucket, Key=source.key)["Body"]
    upload = s3.create_multipart_upload(
        Bucket=target.bucket,
        Key=target.key,
        ContentType="application/gzip",
        Metadata={SHA256_METADATA: sha256},
    )["UploadId"]
    where = {"Bucket": target.bucket, "Key": target.key, "UploadId": upload}
    try:
        parts, digest = _upload_parts(s3, where, body, part)
        if digest != sha256:
            raise CopyRefusedError(f"{source.url()} hashes to {digest}, not {sha256}: nothing was copied")
        s3.complete_multipart_upload(**where, MultipartUpload={"Parts": parts}, IfNoneMatch="*")
    except BaseException:
        s3.abort_multipart_upload(**where)
        raise


def _upload_parts(s3: Any, where: dict[str, str], body: Any, part: int) -> tuple[list[dict[str, Any]], str]:
    """Every part of the stream (at least one), and the sha256 of all of it."""
    hashed = hashlib.sha256()
    parts: list[dict[str, Any]] = []
    while True:
        chunk = _read_part(body, part)
        if not chunk and parts:
            return parts, hashed.hexdigest()
        hashed.update(chunk)
        number = len(parts) + 1
        etag = s3.upload_part(**where, PartNumber=number, Body=chunk)["ETag"]
        parts.append({"ETag": etag, "PartNumber": number})
        if len(chunk) < part:
            return parts, hashed.hexdigest()


def _read_part(body: Any, size: int) -> bytes:
    """Up to `size` bytes: a stream may hand out fewer per read before its end."""
    chunks, left = [], size
    while left > 0:
        data = body.read(left)
        if not data:
            break
        chunks.append(data)
        left -= len(data)
    return b"".join(chunks)
