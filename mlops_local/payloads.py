"""Request and response bodies of the emulated endpoint: CSV or JSON rows in, CSV or JSON predictions out."""

from __future__ import annotations

import csv
import json
import math
from typing import Any

import numpy as np

from mlops_local.model_loader import FloatArray

CSV = "text/csv"
JSON = "application/json"
_ANY = {"", "*/*"}


class PayloadError(ValueError):
    """A body the model container refuses; `status` is the container's HTTP status (400, 406, 415)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def media_type(header: str | None) -> str:
    """The media type of a Content-Type/Accept header, lower-case, without parameters."""
    return (header or "").split(";", 1)[0].split(",", 1)[0].strip().lower()


def _cell(value: str) -> float:
    """One CSV cell as a float; an empty cell is a missing value (NaN)."""
    text = value.strip()
    if not text:
        return math.nan
    try:
        return float(text)
    except ValueError:
        raise PayloadError(f"non-numeric CSV value {text[:40]!r}") from None


def _csv_rows(body: bytes) -> list[list[float]]:
    """Parse CSV text: one record per non-blank line."""
    lines = [line for line in body.decode("utf-8").splitlines() if line.strip()]
    return [[_cell(cell) for cell in row] for row in csv.reader(lines)]


def _json_rows(body: bytes) -> list[Any]:
    """Parse `{"instances": [...]}` (rows or `{"features": [...]}`), a list of rows, or one flat row."""
    value = json.loads(body)
    if isinstance(value, dict):
        value = value.get("instances", value.get("inputs"))
    if not isinstance(value, list) or not value:
        raise PayloadError('JSON input must be {"instances": [[...], ...]} or a non-empty list of rows')
    if not any(isinstance(item, list | dict) for item in value):
        value = [value]  # a single flat row
    return [item.get("features") if isinstance(item, dict) else item for item in value]


def parse_rows(body: bytes, content_type: str | None) -> FloatArray:
    """Decode a request body into a 2-D float array (one row per record)."""
    kind = media_type(content_type)
    try:
        if kind == CSV:
            rows: list[Any] = _csv_rows(body)
        elif kind == JSON:
            rows = _json_rows(body)
        else:
            raise PayloadError(f"unsupported content type {content_type!r}; use {CSV} or {JSON}", 415)
        array = np.asarray(rows, dtype=np.float64)
    except (UnicodeDecodeError, ValueError, TypeError) as error:
        if isinstance(error, PayloadError):
            raise
        raise PayloadError(f"unreadable {kind} input: {type(error).__name__}") from error
    if array.ndim != 2 or array.shape[0] == 0:
        raise PayloadError("input must be rows of equal width")
    return array


def response_type(accept: str | None, content_type: str | None) -> str:
    """The response media type: Accept, or the request's own format when Accept is absent or `*/*`."""
    wanted = media_type(accept)
    if wanted in _ANY:
        wanted = media_type(content_type)
    if wanted not in (CSV, JSON):
        raise PayloadError(f"unsupported Accept {accept!r}; use {CSV} or {JSON}", 406)
    return wanted


def render(predictions: list[Any], accept: str | None, content_type: str | None) -> tuple[bytes, str]:
    """Encode predictions: a JSON array, or CSV with one line per record (vectors comma-separated)."""
    kind = response_type(accept, content_type)
    if kind == JSON:
        return json.dumps(predictions).encode(), JSON
    lines = [",".join(map(str, p)) if isinstance(p, list) else str(p) for p in predictions]
    return ("\n".join(lines) + "\n").encode(), CSV
