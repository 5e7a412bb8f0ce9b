"""Traffic generator: sends rows to an endpoint through a boto3 `sagemaker-runtime` client, in batches."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from mlops_cli.endpoint_url import is_loopback

MAX_ROWS = 100_000
MAX_BATCH = 1_000


@dataclass(frozen=True)
class TrafficResult:
    """What was sent and answered; `complete` is False when the time limit stopped the run early."""

    predictions: list[Any]
    inference_ids: list[str] = field(default_factory=list)
    requests: int = 0
    rows_sent: int = 0
    seconds: float = 0.0
    complete: bool = True


def _csv_body(rows: Sequence[Sequence[float]]) -> bytes:
    """Rows as CSV text, one record per line."""
    return "\n".join(",".join(repr(float(v)) for v in row) for row in rows).encode()


def _predictions(body: bytes) -> list[Any]:
    """A JSON array answer as a list (a single value becomes a one-item list)."""
    value = json.loads(body)
    return value if isinstance(value, list) else [value]


def _check(runtime: Any, rows: Sequence[Sequence[float]], batch_size: int) -> None:
    """Refuse anything but a bounded run against a loopback endpoint."""
    url = str(getattr(getattr(runtime, "meta", None), "endpoint_url", ""))
    if not is_loopback(url):
        raise ValueError(f"the traffic generator only targets loopback endpoints, not {url!r}")
    if not 0 < len(rows) <= MAX_ROWS:
        raise ValueError(f"send between 1 and {MAX_ROWS} rows, not {len(rows)}")
    if not 0 < batch_size <= MAX_BATCH:
        raise ValueError(f"batch_size must be between 1 and {MAX_BATCH}")


def send_rows(
    runtime: Any,
    endpoint_name: str,
    rows: Sequence[Sequence[float]],
    *,
    batch_size: int = 10,
    time_limit_s: float = 60.0,
    id_prefix: str | None = None,
) -> TrafficResult:
    """Send rows as CSV requests of `batch_size` rows, each with an inference id; JSON answers collected."""
    _check(runtime, rows, batch_size)
    prefix = id_prefix or uuid.uuid4().hex[:12]
    started = time.monotonic()
    predictions: list[Any] = []
    ids: list[str] = []
    for start in range(0, len(rows), batch_size):
        if time.monotonic() - started > time_limit_s:
            return TrafficResult(predictions, ids, len(ids), start, time.monotonic() - started, False)
        inference_id = f"{prefix}-{len(ids):06d}"
        response = runtime.invoke_endpoint(
            EndpointName=endpoint_name,
            Body=_csv_body(rows[start : start + batch_size]),
            ContentType="text/csv",
            Accept="application/json",
            InferenceId=inference_id,
        )
        predictions.extend(_predictions(response["Body"].read()))
        ids.append(inference_id)
    return TrafficResult(predictions, ids, len(ids), len(rows), time.monotonic() - started)
