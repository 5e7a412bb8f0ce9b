"""s3:// URIs: the one place they are split into bucket and key."""

from __future__ import annotations

SCHEME = "s3://"


def split_s3_uri(uri: str) -> tuple[str, str]:
    """(bucket, key) of an s3:// URI; the key keeps its slashes. Raises ValueError for anything else."""
    if not uri.startswith(SCHEME):
        raise ValueError(f"not an s3:// URI: {uri!r}")
    bucket, _, key = uri[len(SCHEME) :].partition("/")
    if not bucket:
        raise ValueError(f"no bucket in {uri!r}")
    return bucket, key


def s3_uri(bucket: str, key: str) -> str:
    """The s3:// URI of an object or prefix."""
    return f"{SCHEME}{bucket}/{key}"
