"""Baseline objects in the registry bucket: existence, the size cap, and streams that never exceed it."""

from __future__ import annotations

import io
import json
import shutil
import tempfile
from dataclasses import dataclass
from typing import IO, Any

from lambdas.common.s3_objects import head_or_none
from lambdas.register.digest import open_object
from mlops_drift.baseline_sources import BaselineFormatError
from mlops_manifest import Problem

STATISTICS_FORMAT = "a SageMaker Model Monitor statistics.json/constraints.json document"
# A binary baseline (Parquet) is copied here to be read at random; larger ones spill to /tmp.
SPOOL_MEMORY_BYTES = 8 * 1024**2


@dataclass(frozen=True)
class BaselineObject:
    """A baseline object named by the manifest, and the manifest field naming it."""

    field: str
    bucket: str
    key: str
    cap: int

    def problem(self, found: str, allowed: str, code: str) -> Problem:
        """A problem about this object, reported at the manifest field that names it."""
        return Problem(self.field, found, allowed, code)


class _BoundedRaw(io.RawIOBase):
    """A raw stream over an S3 body that fails once more than `limit` bytes have come through."""

    def __init__(self, body: Any, limit: int) -> None:
        self._body, self._limit, self._read = body, limit, 0

    def readable(self) -> bool:
        """This stream can be read."""
        return True

    def readinto(self, buffer: Any) -> int:
        """Fill `buffer` from the body, raising when the cap is passed (the object grew since HEAD)."""
        data = self._body.read(min(len(buffer), self._limit + 1 - self._read))
        self._read += len(data)
        if self._read > self._limit:
            raise BaselineFormatError("too_large", f"more than {self._limit} bytes")
        buffer[: len(data)] = data
        return len(data)


def too_large_problem(obj: BaselineObject, found: str) -> Problem:
    """The object is over the cap: say how to bring a larger baseline."""
    allowed = (
        f"at most {obj.cap} bytes (MAX_BASELINE_BYTES); import a larger baseline as SageMaker Model Monitor "
        "statistics (baseline_statistics_key), or upload a representative sample"
    )
    return obj.problem(found, allowed, "baseline_too_large")


def check_object(s3: Any, obj: BaselineObject) -> tuple[str | None, list[Problem]]:
    """HEAD the object: return its version id, or the problems (missing, over the cap)."""
    head = head_or_none(s3, obj.bucket, obj.key)
    if head is None:
        found = f"no object at s3://{obj.bucket}/{obj.key}"
        return None, [obj.problem(found, "an object uploaded before the manifest", "baseline_missing")]
    size = int(head["ContentLength"])
    if size > obj.cap:
        return None, [too_large_problem(obj, f"{size} bytes")]
    version = head.get("VersionId")
    return (version if version and version != "null" else None), []


def open_text(s3: Any, obj: BaselineObject, version_id: str | None) -> io.TextIOWrapper:
    """Stream the object as UTF-8 text (a BOM is skipped), reading at most the cap."""
    raw = _BoundedRaw(open_object(s3, obj.bucket, obj.key, version_id), obj.cap)
    return io.TextIOWrapper(io.BufferedReader(raw), encoding="utf-8-sig", newline="")


def open_binary(s3: Any, obj: BaselineObject, version_id: str | None) -> IO[bytes]:
    """Copy the object (at most the cap) into a seekable local file: Parquet's footer is read first."""
    raw = _BoundedRaw(open_object(s3, obj.bucket, obj.key, version_id), obj.cap)
    local = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY_BYTES)  # noqa: SIM115 (returned open)
    try:
        shutil.copyfileobj(io.BufferedReader(raw), local)
    except BaseException:
        local.close()
        raise
    local.seek(0)
    return local


def read_json(s3: Any, obj: BaselineObject) -> tuple[Any, list[Problem]]:
    """Parse a JSON document within the cap; or the problems: absent, too large, not JSON."""
    version_id, problems = check_object(s3, obj)
    if problems:
        return None, problems
    try:
        with open_text(s3, obj, version_id) as text:
            return json.loads(text.read()), []
    except BaselineFormatError as error:
        return None, [too_large_problem(obj, error.detail)]
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        found = f"not JSON ({type(error).__name__})"
        return None, [obj.problem(found, STATISTICS_FORMAT, "baseline_not_model_monitor")]
