"""Profile capture objects inside the function (the path for ordinary volumes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lambdas.common.checkpoint import StoredObject
from mlops_drift import ProfileSpec
from mlops_drift.partial import PartialProfile, merge_partials, oversized_file, profile_bytes


def profile_objects(
    s3: Any, bucket: str, objects: Sequence[StoredObject], spec: ProfileSpec
) -> PartialProfile:
    """Profile each capture object on the baseline's spec and merge the per-file profiles."""
    parts = []
    for obj in objects:
        part = oversized_file(obj.key, obj.size, spec)
        if part is None:
            part = profile_bytes(obj.key, s3.get_object(Bucket=bucket, Key=obj.key)["Body"].read(), spec)
        parts.append(part)
    return merge_partials(spec, parts)
