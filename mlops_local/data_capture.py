"""SageMaker data capture, emulated: sampled JSON Lines records written to S3 in SageMaker's layout."""

from __future__ import annotations

import base64
import json
import random
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from lambdas.common.s3_uri import split_s3_uri
from mlops_local.payloads import media_type

DEFAULT_VARIANT = "AllTraffic"


@dataclass(frozen=True)
class CaptureConfig:
    """An endpoint's DataCaptureConfig: destination, sampling and which content types are text."""

    destination_s3_uri: str
    sampling_percent: int = 100
    csv_content_types: tuple[str, ...] = ("text/csv",)
    json_content_types: tuple[str, ...] = ("application/json",)
    capture_input: bool = True
    capture_output: bool = True

    @classmethod
    def from_manifest(cls, data_capture: Any, destination_s3_uri: str) -> CaptureConfig:
        """Build from a manifest's `data_capture` section (mlops_manifest.deployment.DataCapture)."""
        return cls(
            destination_s3_uri=destination_s3_uri,
            sampling_percent=int(data_capture.sampling_percent),
            csv_content_types=tuple(data_capture.csv_content_types),
            json_content_types=tuple(data_capture.json_content_types),
        )


@dataclass(frozen=True)
class Exchange:
    """One invocation as data capture sees it."""

    request: bytes
    request_type: str
    response: bytes
    response_type: str
    inference_id: str | None = None


def _block(body: bytes, observed: str, mode: str, config: CaptureConfig) -> dict[str, str]:
    """endpointInput/endpointOutput: declared CSV/JSON types as text, everything else BASE64."""
    kind = media_type(observed)
    encoding = "BASE64"
    if kind in {media_type(t) for t in config.csv_content_types}:
        encoding = "CSV"
    elif kind in {media_type(t) for t in config.json_content_types}:
        encoding = "JSON"
    try:
        data = body.decode("utf-8") if encoding != "BASE64" else ""
    except UnicodeDecodeError:
        encoding = "BASE64"
    if encoding == "BASE64":
        data = base64.b64encode(body).decode("ascii")
    return {"observedContentType": observed, "mode": mode, "data": data, "encoding": encoding}


def inference_time(when: datetime) -> str:
    """ISO-8601 UTC with milliseconds and a Z, as in SageMaker capture records."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def capture_record(exchange: Exchange, config: CaptureConfig, when: datetime) -> dict[str, Any]:
    """One capture line: captureData, eventMetadata and eventVersion "0"."""
    data: dict[str, Any] = {}
    if config.capture_input:
        data["endpointInput"] = _block(exchange.request, exchange.request_type, "INPUT", config)
    if config.capture_output:
        data["endpointOutput"] = _block(exchange.response, exchange.response_type, "OUTPUT", config)
    metadata = {"eventId": str(uuid.uuid4()), "inferenceTime": inference_time(when)}
    if exchange.inference_id:
        metadata["inferenceId"] = exchange.inference_id
    return {"captureData": data, "eventMetadata": metadata, "eventVersion": "0"}


def capture_key(config: CaptureConfig, endpoint: str, variant: str, when: datetime) -> tuple[str, str]:
    """(bucket, key) `<prefix>/<endpoint>/<variant>/yyyy/mm/dd/hh/<mm-ss-mmm-uuid>.jsonl`."""
    bucket, prefix = split_s3_uri(config.destination_s3_uri)
    prefix = prefix.strip("/")
    utc = when.astimezone(UTC)
    name = f"{utc:%M-%S}-{utc.microsecond // 1000:03d}-{uuid.uuid4()}.jsonl"
    parts = [prefix, endpoint, variant, f"{utc:%Y/%m/%d/%H}", name]
    return bucket, "/".join(p for p in parts if p)


@dataclass
class _Buffer:
    """Lines waiting for one capture file (one endpoint, variant and hour)."""

    config: CaptureConfig
    opened: datetime
    lines: list[str] = field(default_factory=list)
    s3: Any = None  # the endpoint's account's client, when it is not the writer's


class CaptureWriter:
    """Samples invocations and writes their capture lines to S3, one file per N records or per flush."""

    def __init__(
        self,
        s3: Any,
        *,
        flush_every: int = 100,
        rng: random.Random | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._s3, self._flush_every, self._clock = s3, max(1, flush_every), clock
        self._rng = rng or random.Random()  # noqa: S311 - sampling, not security
        self._buffers: dict[tuple[str, str, str], _Buffer] = {}
        self._lock = threading.Lock()
        self.written: list[str] = []

    def record(
        self, endpoint: str, variant: str, config: CaptureConfig, exchange: Exchange, s3: Any = None
    ) -> bool:
        """Capture the exchange with the configured sampling (written with `s3` when given, as the endpoint's
        own account does); return whether it was captured."""
        if self._rng.random() * 100 >= config.sampling_percent:
            return False
        now = self._clock()
        line = json.dumps(capture_record(exchange, config, now), separators=(",", ":"))
        slot = (endpoint, variant, now.astimezone(UTC).strftime("%Y%m%d%H"))
        with self._lock:
            buffer = self._buffers.setdefault(slot, _Buffer(config, now, s3=s3))
            buffer.lines.append(line)
            if len(buffer.lines) >= self._flush_every:
                self._write(slot, self._buffers.pop(slot))
        return True

    def flush(self) -> list[str]:
        """Write every pending buffer; return the `s3://` URIs written by this call."""
        with self._lock:
            before = len(self.written)
            for slot in list(self._buffers):
                self._write(slot, self._buffers.pop(slot))
            return self.written[before:]

    def _write(self, slot: tuple[str, str, str], buffer: _Buffer) -> None:
        """Put one JSON Lines object (called with the lock held)."""
        bucket, key = capture_key(buffer.config, slot[0], slot[1], buffer.opened)
        body = ("\n".join(buffer.lines) + "\n").encode()
        s3 = buffer.s3 or self._s3
        s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/jsonlines")
        self.written.append(f"s3://{bucket}/{key}")
