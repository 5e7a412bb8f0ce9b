"""Decode one data-capture payload (CSV, JSON or BASE64 of either) into records and predictions."""

from __future__ import annotations

import base64
import binascii
import contextlib
import csv
import json
from collections.abc import Mapping
from operator import itemgetter
from typing import Any

Record = list[Any] | dict[str, Any]
Prediction = float | str | tuple[float, ...] | None
_BATCH_KEYS = ("instances", "inputs", "data")
_SCORE_KEYS = ("score", "predicted_value", "probability", "predicted_label", "label")


class PayloadError(ValueError):
    """A payload that cannot be decoded; the capture line is reported as malformed."""


def decode(block: Mapping[str, Any]) -> tuple[bool, Any]:
    """(is_json, content) for an endpointInput/endpointOutput block; content is text or a parsed value."""
    data = block.get("data")
    if data is None:
        raise PayloadError("no data")
    encoding = str(block.get("encoding", "CSV")).upper()
    content_type = str(block.get("observedContentType", "")).lower()
    if not isinstance(data, str):
        return True, data
    if encoding == "BASE64":
        try:
            data = base64.b64decode(data, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise PayloadError(f"bad BASE64 data: {exc}") from exc
        return "json" in content_type, data
    if encoding in ("JSON", "CSV"):
        return encoding == "JSON", data
    raise PayloadError(f"unknown encoding {encoding!r}")


def _csv_rows(text: str) -> list[list[str]]:
    """Split CSV text into rows; the csv module only when a quote makes it necessary."""
    lines = [line for line in text.splitlines() if line.strip()]
    if '"' in text:
        return [list(row) for row in csv.reader(lines)]
    return [line.split(",") for line in lines]


def _json_value(content: Any) -> Any:
    """Parse JSON text (already-parsed values pass through)."""
    if not isinstance(content, str):
        return content
    try:
        return json.loads(content)
    except RecursionError:
        raise PayloadError("JSON data nested too deeply") from None
    except ValueError as exc:
        raise PayloadError(f"bad JSON data: {exc.__class__.__name__}") from exc


def _json_record(item: Any) -> Record:
    """One JSON record: a list of values, a {"features": [...]} object or a {name: value} object."""
    if isinstance(item, list):
        return item
    if isinstance(item, dict):
        features = item.get("features")
        return features if isinstance(features, list) else item
    return [item]


def _json_records(value: Any) -> list[Record]:
    """Records in a JSON payload: {"instances"|"inputs"|"data": [...]}, a list of records, or one record."""
    if isinstance(value, dict):
        for key in _BATCH_KEYS:
            if isinstance(value.get(key), list):
                return _json_records(value[key])
        return [_json_record(value)]
    if isinstance(value, list):
        if value and all(isinstance(v, list | dict) for v in value):
            return [_json_record(v) for v in value]
        return [value]
    raise PayloadError("JSON input is neither an object nor an array")


def input_records(block: Mapping[str, Any]) -> list[Record]:
    """Records of an endpointInput block (CSV: one per line)."""
    data = block.get("data")
    if block.get("encoding") == "CSV" and isinstance(data, str) and '"' not in data:
        # Fast path for the common case: plain CSV text without quoting.
        return [line.split(",") for line in data.splitlines() if line.strip()]
    is_json, content = decode(block)
    if is_json:
        return _json_records(_json_value(content))
    return list(_csv_rows(content))


def _number(value: float) -> float:
    """float(value); PayloadError for an integer beyond float range."""
    try:
        return float(value)
    except OverflowError:
        raise PayloadError("number beyond float range") from None


def _prediction(item: Any) -> Prediction:
    """One prediction: a number, a label string, a score vector, or a known key of an object."""
    if isinstance(item, int | float):
        return _number(item)
    if isinstance(item, str):
        try:
            return float(item)
        except ValueError:
            return item
    if isinstance(item, list) and all(isinstance(v, int | float) for v in item):
        return tuple(_number(v) for v in item)
    if isinstance(item, dict):
        key = next((k for k in _SCORE_KEYS if k in item), None)
        return _prediction(item[key]) if key else None
    return None


def _csv_predictions(text: str, n_records: int) -> list[Prediction]:
    """CSV output: one line per record, or one line of n comma-separated values for n > 1 records."""
    rows = _csv_rows(text)
    if len(rows) == 1 and n_records > 1 and len(rows[0]) == n_records:
        return [_prediction(v) for v in rows[0]]
    return [_prediction(r[0]) if len(r) == 1 else _prediction([_prediction(v) for v in r]) for r in rows]


def output_predictions(block: Mapping[str, Any], n_records: int) -> list[Prediction]:
    """Predictions of an endpointOutput block."""
    data = block.get("data")
    if n_records == 1 and block.get("encoding") == "CSV" and isinstance(data, str):
        with contextlib.suppress(ValueError):
            return [float(data)]  # fast path: a single score
    is_json, content = decode(block)
    if not is_json:
        return _csv_predictions(content, n_records)
    value = _json_value(content)
    if isinstance(value, dict):
        value = value.get("predictions", value.get("outputs", [value]))
    items = value if isinstance(value, list) else [value]
    if n_records == 1 and len(items) > 1 and all(isinstance(v, int | float) for v in items):
        return [_prediction(items)]
    return [_prediction(v) for v in items]


def json_array(lines: list[str | bytes]) -> str | bytes:
    """Capture lines as the items of one JSON array (decoded at once: far faster than line by line)."""
    try:
        return "[" + ",".join(lines) + "]"  # type: ignore[arg-type]  # all str
    except TypeError:
        pass
    try:
        return b"[" + b",".join(lines) + b"]"  # type: ignore[arg-type]  # all bytes: a file's lines
    except TypeError:
        return "[" + ",".join(line.decode() if isinstance(line, bytes) else line for line in lines) + "]"


# Column-wise capture fields of a chunk of lines: in_data, in_enc, in_type, out_data, out_enc, ids, times.
Fields = dict[str, list[Any]]
_BLOCK_FIELDS = itemgetter("data", "encoding", "observedContentType")
_OUTPUT_FIELDS = itemgetter("data", "encoding")


def fields_of(events: list[Any]) -> Fields | None:
    """The capture fields of decoded lines; None when there are none or any lacks one (the per-line path)."""
    if not events:
        return None
    try:
        captures = list(map(itemgetter("captureData"), events))
        inputs = list(map(itemgetter("endpointInput"), captures))
        outputs = list(map(itemgetter("endpointOutput"), captures))
        in_data, in_enc, in_type = map(list, zip(*map(_BLOCK_FIELDS, inputs), strict=True))
        out_data, out_enc = map(list, zip(*map(_OUTPUT_FIELDS, outputs), strict=True))
        metas = list(map(itemgetter("eventMetadata"), events))
        ids = [meta.get("inferenceId") or meta["eventId"] for meta in metas]
        times = [when if isinstance(when := meta.get("inferenceTime"), str) else None for meta in metas]
    except (KeyError, TypeError, AttributeError):
        return None
    if not all(type(event_id) is str for event_id in ids):
        return None  # ids of other types are written as flat JSON by the per-line path
    fields = {"in_data": in_data, "in_enc": in_enc, "in_type": in_type, "out_data": out_data}
    return fields | {"out_enc": out_enc, "ids": ids, "times": times}
