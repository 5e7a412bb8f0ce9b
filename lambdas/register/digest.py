"""Streamed sha256 of S3 objects with bounded memory."""

from __future__ import annotations

import hashlib
from typing import Any, Protocol

CHUNK_BYTES = 8 * 1024 * 1024


class Readable(Protocol):
    """Anything with a `read(size)` returning bytes (a botocore StreamingBody, a file)."""

    def read(self, size: int = -1, /) -> bytes:
        """Read up to `size` bytes."""
        ...


class HashingReader:
    """Wrap a stream, hashing and counting every byte that passes through it."""

    def __init__(self, stream: Readable) -> None:
        self._stream = stream
        self._hash = hashlib.sha256()
        self.bytes_read = 0

    def read(self, size: int = -1, /) -> bytes:
        """Read at most one chunk, never the whole object at once."""
        limit = CHUNK_BYTES if size is None or size < 0 else min(size, CHUNK_BYTES)
        data = self._stream.read(limit)
        self._hash.update(data)
        self.bytes_read += len(data)
        return data

    def drain(self) -> None:
        """Consume and hash the rest of the stream."""
        while self.read(CHUNK_BYTES):
            pass

    def hexdigest(self) -> str:
        """Return the sha256 of everything read so far."""
        return self._hash.hexdigest()


def open_object(s3: Any, bucket: str, key: str, version_id: str | None) -> Readable:
    """Open an S3 object (a specific version when given) as a stream."""
    params = {"Bucket": bucket, "Key": key}
    if version_id:
        params["VersionId"] = version_id
    body: Readable = s3.get_object(**params)["Body"]
    return body


def stream_sha256(s3: Any, bucket: str, key: str, version_id: str | None = None) -> tuple[str, int]:
    """Return (sha256 hex, size) of an S3 object, streamed in 8 MiB chunks."""
    reader = HashingReader(open_object(s3, bucket, key, version_id))
    reader.drain()
    return reader.hexdigest(), reader.bytes_read
