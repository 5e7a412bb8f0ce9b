"""Copy a model artifact (trained or adopted) into the registry: a gzipped tar, hashed while streaming."""

from __future__ import annotations

import tarfile
import zlib
from typing import Any

from botocore.exceptions import ClientError

from lambdas.common.s3_objects import object_exists
from lambdas.common.s3_uri import split_s3_uri
from lambdas.register.digest import HashingReader, Readable

_GZIP_MAGIC = b"\x1f\x8b"
_PEEK_BYTES = 64 * 1024


class ArtifactCopyError(ValueError):
    """The artifact cannot be copied; the message names it and what was wrong."""


class _Prefixed:
    """A stream whose first bytes were already read (to check them) and are handed out again first."""

    def __init__(self, head: bytes, rest: Readable) -> None:
        self._head, self._rest = head, rest

    def read(self, size: int = -1, /) -> bytes:
        """Serve the peeked bytes, then the rest of the stream."""
        if self._head:
            taken = self._head if size < 0 else self._head[:size]
            self._head = self._head[len(taken) :]
            return taken
        return self._rest.read(size)


def _check_tar_gz(head: bytes, uri: str, what: str) -> None:
    """The first bytes must be gzip and decompress to a valid tar header block."""
    problem = f"{what} {uri} is not a tar.gz archive"
    if not head.startswith(_GZIP_MAGIC):
        raise ArtifactCopyError(f"{problem} (no gzip header)")
    try:
        block = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, tarfile.BLOCKSIZE)
        tarfile.TarInfo.frombuf(block[: tarfile.BLOCKSIZE], tarfile.ENCODING, "surrogateescape")
    except (zlib.error, tarfile.HeaderError) as error:
        raise ArtifactCopyError(f"{problem} ({error})") from None


def copy_artifact(s3: Any, source_uri: str, bucket: str, key: str, *, what: str) -> tuple[str, int]:
    """Stream the artifact to bucket/key; return (sha256, size). Nothing is written if it is not a tar.gz.

    `what` names the artifact in errors, e.g. "the training job's artifact".
    """
    source_bucket, source_key = split_s3_uri(source_uri)
    try:
        body: Readable = s3.get_object(Bucket=source_bucket, Key=source_key)["Body"]
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "error")
        raise ArtifactCopyError(f"{what} {source_uri} cannot be read ({code})") from None
    head = body.read(_PEEK_BYTES)
    _check_tar_gz(head, source_uri, what)
    reader = HashingReader(_Prefixed(head, body))
    s3.upload_fileobj(reader, bucket, key, ExtraArgs={"ContentType": "application/gzip"})
    return reader.hexdigest(), reader.bytes_read


def refuse_existing(s3: Any, bucket: str, keys: list[str]) -> None:
    """Stop before writing when any target key exists: a registered version is never overwritten."""
    for key in keys:
        if object_exists(s3, bucket, key):
            raise ArtifactCopyError(
                f"s3://{bucket}/{key} already exists: the version is taken, nothing was written"
            )
