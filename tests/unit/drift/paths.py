"""Both capture-reading paths on the same bytes: the Lambda (S3 objects) and the Processing job (files)."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lambdas.common.checkpoint import Position, StoredObject
from lambdas.drift_check.analysis import profile_objects
from mlops_drift import ProfileSpec
from mlops_drift.partial import PartialProfile
from mlops_drift.processing_job import profile_directory


class FakeS3:
    """get_object over an in-memory {key: bytes} map."""

    def __init__(self, objects: dict[str, bytes]) -> None:
        self.objects = objects

    def get_object(self, Bucket: str, Key: str) -> dict[str, Any]:  # noqa: N803 - boto3's names
        return {"Body": io.BytesIO(self.objects[Key])}


def lambda_path(files: dict[str, bytes], spec: ProfileSpec) -> PartialProfile:
    """The drift-check function's in-Lambda analysis of the files."""
    when = datetime(2026, 1, 1, tzinfo=UTC)
    objects = [StoredObject(key, len(body), Position(when, key)) for key, body in sorted(files.items())]
    analysis = profile_objects(FakeS3(files), "capture", objects, spec)
    assert analysis.covered == len(objects)  # without a deadline every object is read
    return analysis.partial


def processing_path(files: dict[str, bytes], spec: ProfileSpec, root: Path) -> PartialProfile:
    """The Processing job's analysis of the same files written under a shard directory."""
    for key, body in files.items():
        (root / key).parent.mkdir(parents=True, exist_ok=True)
        (root / key).write_bytes(body)
    return profile_directory(root, spec)
