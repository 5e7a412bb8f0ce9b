"""Training data in S3: a channel's digest from its listing, an object's sha256, bounded reads."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from lambdas.common.s3_uri import split_s3_uri
from lambdas.register.digest import stream_sha256
from lambdas.training_run.errors import TrainingRunError
from mlops_training.run_inputs import prefix_digest


def _listing(s3: Any, uri: str) -> list[tuple[str, int, str]]:
    """(key, size, ETag) of every object under an S3 URI taken as a prefix (as SageMaker's S3Prefix)."""
    bucket, prefix = split_s3_uri(uri)
    found: list[tuple[str, int, str]] = []
    try:
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            found += [(o["Key"], int(o["Size"]), str(o["ETag"])) for o in page.get("Contents", [])]
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "error")
        raise TrainingRunError(f"cannot list {uri} ({code}): the bucket must exist and be readable") from None
    return [item for item in found if not item[0].endswith("/")]  # folder markers are not data


def channel_digest(s3: Any, name: str, uri: str) -> str:
    """The digest of what a channel would read; a channel with no data stops the run."""
    objects = _listing(s3, uri)
    if not objects or all(size == 0 for _, size, _ in objects):
        raise TrainingRunError(f"channel {name}: no data under {uri} (no objects, or only empty ones)")
    return prefix_digest(objects)


def first_object(s3: Any, uri: str) -> str:
    """The key of the first non-empty object under a URI (key order), or a clear error."""
    objects = [key for key, size, _ in _listing(s3, uri) if size > 0]
    if not objects:
        raise TrainingRunError(f"no data under {uri}")
    return min(objects)


def object_sha256(s3: Any, uri: str, what: str) -> str:
    """sha256 of one object, streamed; a missing object stops the run naming it."""
    bucket, key = split_s3_uri(uri)
    try:
        return stream_sha256(s3, bucket, key)[0]
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "error")
        raise TrainingRunError(f"{what}: cannot read {uri} ({code})") from None


def read_bounded(s3: Any, uri: str, limit: int, what: str) -> bytes:
    """An object's bytes when it is at most `limit` bytes, or a clear error."""
    bucket, key = split_s3_uri(uri)
    try:
        response = s3.get_object(Bucket=bucket, Key=key)
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "error")
        raise TrainingRunError(f"{what}: cannot read {uri} ({code})") from None
    if int(response["ContentLength"]) > limit:
        size = response["ContentLength"]
        raise TrainingRunError(f"{what}: {uri} has {size} bytes, more than the {limit} this step reads")
    data: bytes = response["Body"].read()
    return data
