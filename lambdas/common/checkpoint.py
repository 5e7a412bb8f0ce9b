"""Durable checkpoint (an S3 object) and the listing of objects that arrived after it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

# Capture files of hour partition H are written from H on and closed within minutes, so a listing that
# starts this far before the checkpoint's partition cannot miss a newer object.
PARTITION_SLACK = timedelta(hours=2)


@dataclass(frozen=True, order=True)
class Position:
    """An object's place in arrival order: (LastModified, key); everything up to it has been processed."""

    last_modified: datetime
    key: str

    def to_dict(self) -> dict[str, str]:
        """Plain-dict form."""
        return {"last_modified": self.last_modified.isoformat(), "key": self.key}

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> Position:
        """Inverse of to_dict."""
        return cls(datetime.fromisoformat(data["last_modified"]), data["key"])


@dataclass(frozen=True)
class StoredObject:
    """A listed S3 object."""

    key: str
    size: int
    position: Position


@dataclass(frozen=True)
class PendingJob:
    """A started Processing job and the last object it covers."""

    job_name: str
    through: Position
    files: int
    bytes: int
    output_prefix: str

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form."""
        return {**vars(self), "through": self.through.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PendingJob:
        """Inverse of to_dict."""
        return cls(**{**data, "through": Position.from_dict(data["through"])})


@dataclass(frozen=True)
class Checkpoint:
    """The last processed position and the Processing job in flight, if any."""

    position: Position | None = None
    pending: PendingJob | None = None


def load_checkpoint(s3: Any, bucket: str, key: str) -> Checkpoint:
    """Read the checkpoint object; no object means nothing was processed yet."""
    try:
        data = json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    except s3.exceptions.NoSuchKey:
        return Checkpoint()
    position, pending = data.get("position"), data.get("pending")
    return Checkpoint(
        Position.from_dict(position) if position else None,
        PendingJob.from_dict(pending) if pending else None,
    )


def save_checkpoint(s3: Any, bucket: str, key: str, checkpoint: Checkpoint) -> None:
    """Write the checkpoint object (one PUT: it is replaced atomically)."""
    body = {
        "position": checkpoint.position.to_dict() if checkpoint.position else None,
        "pending": checkpoint.pending.to_dict() if checkpoint.pending else None,
    }
    s3.put_object(Bucket=bucket, Key=key, Body=json.dumps(body).encode(), ContentType="application/json")


def list_after(
    s3: Any, bucket: str, prefix: str, after: Position | None, until: datetime, hourly: bool = True
) -> list[StoredObject]:
    """Objects under prefix with after < (LastModified, key) and LastModified <= until, in arrival order."""
    params = {"Bucket": bucket, "Prefix": prefix}
    if after is not None and hourly:
        params["StartAfter"] = prefix + (after.last_modified - PARTITION_SLACK).strftime("%Y/%m/%d/%H")
    found = []
    for page in s3.get_paginator("list_objects_v2").paginate(**params):
        for item in page.get("Contents", []):
            obj = StoredObject(item["Key"], int(item["Size"]), Position(item["LastModified"], item["Key"]))
            if (after is None or obj.position > after) and obj.position.last_modified <= until:
                found.append(obj)
    return sorted(found, key=lambda o: o.position)
