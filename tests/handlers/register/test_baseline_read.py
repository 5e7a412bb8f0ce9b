"""The baseline stream never yields more than the cap, even when the object grew after HEAD."""

from __future__ import annotations

import io
from typing import Any

import pytest

from lambdas.register.baseline_read import BaselineObject, open_binary, open_text
from mlops_drift.baseline_sources import BaselineFormatError


class FakeS3:
    """get_object returns a body larger than the size HEAD reported."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.requested: list[int] = []  # bytes returned per read
        self.calls: list[dict[str, Any]] = []

    def get_object(self, **params: Any) -> dict[str, Any]:
        self.calls.append(params)
        stream = io.BytesIO(self.body)
        requested = self.requested

        class Body:
            def read(self, size: int = -1) -> bytes:
                data = stream.read(size)
                requested.append(len(data))
                return data

        return {"Body": Body()}


def test_stream_stops_at_the_cap() -> None:
    s3 = FakeS3(b"a,b\n" + b"1,2\n" * 10_000)
    obj = BaselineObject("monitoring.baseline_dataset_key", "bucket", "datasets/b.csv", cap=1000)

    with open_text(s3, obj, None) as text, pytest.raises(BaselineFormatError) as caught:
        text.read()

    assert caught.value.code == "too_large"
    assert sum(s3.requested) <= 1001  # bytes taken from the body: the cap plus the one that proves it


def test_stream_within_the_cap_is_read_whole_without_a_bom() -> None:
    s3 = FakeS3("\ufeffa,b\r\n1,2\r\n".encode())
    obj = BaselineObject("monitoring.baseline_dataset_key", "bucket", "datasets/b.csv", cap=1000)

    with open_text(s3, obj, None) as text:
        assert text.read() == "a,b\r\n1,2\r\n"


def test_binary_copy_stops_at_the_cap() -> None:
    s3 = FakeS3(b"PAR1" + b"\0" * 10_000)
    obj = BaselineObject("monitoring.baseline_dataset_key", "bucket", "datasets/b.parquet", cap=1000)

    with pytest.raises(BaselineFormatError) as caught:
        open_binary(s3, obj, None)

    assert caught.value.code == "too_large"
    assert sum(s3.requested) <= 1001


def test_binary_copy_is_the_requested_version_and_seekable() -> None:
    body = bytes(range(256)) * 3
    s3 = FakeS3(body)
    obj = BaselineObject("monitoring.baseline_dataset_key", "bucket", "datasets/b.parquet", cap=len(body))

    with open_binary(s3, obj, "v-42") as file:
        file.seek(-8, io.SEEK_END)  # Parquet readers start from the footer
        tail = file.read()
        file.seek(0)
        assert file.read() == body

    assert tail == body[-8:]
    assert s3.calls == [{"Bucket": "bucket", "Key": "datasets/b.parquet", "VersionId": "v-42"}]
