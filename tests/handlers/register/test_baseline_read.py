"""The baseline stream never yields more than the cap, even when the object grew after HEAD."""

from __future__ import annotations

import io
from typing import Any

import pytest

from lambdas.register.baseline_read import BaselineObject, open_text
from mlops_drift.baseline_sources import BaselineFormatError


class FakeS3:
    """get_object returns a body larger than the size HEAD reported."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.requested: list[int] = []  # bytes returned per read

    def get_object(self, **_: Any) -> dict[str, Any]:
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
