"""Streaming sha256 and the artifact upload, with progress bars on stderr."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from boto3.s3.transfer import TransferConfig
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

CHUNK = 1024 * 1024
# Multipart above 16 MiB, 16 MiB parts, 8 threads (boto3's transfer manager).
TRANSFER = TransferConfig(multipart_threshold=16 * CHUNK, multipart_chunksize=16 * CHUNK, max_concurrency=8)


@contextmanager
def progress_bars(enabled: bool) -> Iterator[Progress]:
    """Byte progress bars on stderr; rich's Progress is thread-safe (the transfer manager calls back
    from its worker threads), which click's progress bar is not."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    console = Console(stderr=True)
    # Bars only on a terminal: piped or captured output gets the summary lines alone.
    with Progress(*columns, console=console, disable=not (enabled and console.is_terminal)) as progress:
        yield progress


def file_sha256(path: Path, progress: Progress) -> str:
    """The sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    task = progress.add_task(f"sha256 {path.name}", total=path.stat().st_size)
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            progress.advance(task, len(chunk))
    return digest.hexdigest()


def upload_artifact(s3: Any, path: Path, bucket: str, key: str, sha256: str, progress: Progress) -> None:
    """Upload the artifact (multipart when large), recording its sha256 as object metadata."""
    task = progress.add_task(f"upload {path.name}", total=path.stat().st_size)
    s3.upload_file(
        str(path),
        bucket,
        key,
        ExtraArgs={"ContentType": "application/gzip", "Metadata": {"sha256": sha256}},
        Config=TRANSFER,
        Callback=lambda sent: progress.advance(task, sent),
    )


def existing_digest(s3: Any, bucket: str, key: str) -> str | None:
    """`artifact.sha256` of a manifest already in the bucket, "" when unreadable, None when absent."""
    try:
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    except s3.exceptions.NoSuchKey:
        return None
    try:
        return str(json.loads(body)["artifact"]["sha256"])
    except (ValueError, KeyError, TypeError):
        return ""


def with_digest(raw: bytes, sha256: str) -> bytes | None:
    """The manifest with `artifact.sha256` set, or None when it is not a JSON object with `artifact`."""
    try:
        document = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(document, dict) or not isinstance(document.get("artifact"), dict):
        return None
    document["artifact"]["sha256"] = sha256
    return (json.dumps(document, indent=2) + "\n").encode()
