"""Profile capture objects inside the function (the path for ordinary volumes)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lambdas.common.checkpoint import StoredObject
from mlops_drift import ProfileSpec
from mlops_drift.file_read import Deadline, FileRead, read_file
from mlops_drift.partial import PartialProfile, merge_partials, oversized_file


@dataclass(frozen=True)
class Analysis:
    """The merged profile of the first `covered` objects; the rest are left for the next check."""

    partial: PartialProfile
    covered: int


def profile_objects(
    s3: Any, bucket: str, objects: Sequence[StoredObject], spec: ProfileSpec, deadline: Deadline | None = None
) -> Analysis:
    """Profile capture objects in arrival order on the baseline's spec until the deadline.

    An object the deadline cuts short is left whole for the next check, which starts with it and a full
    budget; only the first object of a check is kept cut short (the rest of its lines reported as not read),
    since no check could read it whole and the checkpoint must move past it.
    """
    parts: list[PartialProfile] = []
    for obj in objects:
        if parts and deadline is not None and deadline.passed():
            break
        read = _read(s3, bucket, obj, spec, deadline)
        if parts and not read.finished:
            break
        parts.append(read.partial)
    return Analysis(merge_partials(spec, parts), len(parts))


def _read(s3: Any, bucket: str, obj: StoredObject, spec: ProfileSpec, deadline: Deadline | None) -> FileRead:
    """One object's profile: skipped unread when too large, else read within the deadline."""
    skipped = oversized_file(obj.key, obj.size, spec)
    if skipped is not None:
        return FileRead(skipped, True)
    return read_file(
        obj.key, s3.get_object(Bucket=bucket, Key=obj.key)["Body"].read(), spec, deadline=deadline
    )
