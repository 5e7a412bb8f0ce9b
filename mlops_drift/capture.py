"""Parse SageMaker data-capture JSON Lines into columnar feature batches, predictions and inference ids."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mlops_drift.batch import FeatureBatch, Kind, ObjectArray, build_batch
from mlops_drift.capture_payload import (
    Fields,
    PayloadError,
    Prediction,
    Record,
    fields_of,
    input_records,
    output_predictions,
)
from mlops_drift.spec import ProfileSpec

MAX_ISSUES = 100
# Lines decoded per json.loads call (one call per chunk is markedly faster than one per line).
JSON_CHUNK = 2000


@dataclass(frozen=True)
class LineIssue:
    """A problem with one capture line (1-based line number)."""

    line: int
    reason: str


@dataclass(frozen=True)
class CaptureBatch:
    """Parsed capture records: features, one prediction and one inference id per record."""

    features: FeatureBatch
    predictions: ObjectArray
    inference_ids: ObjectArray
    inference_times: ObjectArray
    lines_read: int
    malformed_lines: int
    issues: tuple[LineIssue, ...]  # at most MAX_ISSUES, in line order

    def numeric_predictions(self) -> np.ndarray[Any, np.dtype[np.float64]]:
        """Predictions as float64 (NaN where a prediction is missing or not a single number)."""
        return np.array([p if isinstance(p, float) else np.nan for p in self.predictions], dtype=np.float64)


@dataclass
class _Collector:
    """Mutable accumulator used while reading lines."""

    max_issues: int
    width: int | None
    records: list[Record] = field(default_factory=list)
    predictions: list[Prediction] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    times: list[str | None] = field(default_factory=list)
    lines: int = 0
    malformed: int = 0
    issues: list[LineIssue] = field(default_factory=list)

    def issue(self, line: int, reason: str, *, malformed: bool) -> None:
        """Record an issue (capped) and count the line as malformed when it was dropped."""
        self.malformed += malformed
        if len(self.issues) < self.max_issues:
            self.issues.append(LineIssue(line, reason))


def _parse_chunk(chunk: list[tuple[int, str | bytes]]) -> list[tuple[int, Any]]:
    """JSON-decode a chunk of lines in one call; line by line when any of them is not valid JSON."""
    try:
        texts = [line.decode() if isinstance(line, bytes) else line for _, line in chunk]
        events = json.loads("[" + ",".join(texts) + "]")
        if isinstance(events, list) and len(events) == len(chunk):
            return [(number, event) for (number, _), event in zip(chunk, events, strict=True)]
    except ValueError:
        pass
    parsed: list[tuple[int, Any]] = []
    for number, line in chunk:
        try:
            parsed.append((number, json.loads(line)))
        except ValueError as exc:
            parsed.append((number, PayloadError(f"invalid JSON ({exc.__class__.__name__})")))
    return parsed


def _chunks(lines: Iterable[str | bytes], acc: _Collector) -> Iterator[list[tuple[int, str | bytes]]]:
    """Chunks of (line number, line) for the non-blank lines, in line order."""
    chunk: list[tuple[int, str | bytes]] = []
    for number, line in enumerate(lines, start=1):
        acc.lines += 1
        if line.strip():
            chunk.append((number, line))
        if len(chunk) >= JSON_CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _bulk(fields: Fields | None, acc: _Collector) -> bool:
    """Add a chunk whose every line is one CSV record with one CSV score at once; False if any is not."""
    if fields is None:
        return False
    texts, outputs, n = fields["in_data"], fields["out_data"], len(fields["ids"])
    if fields["in_enc"].count("CSV") != n or fields["out_enc"].count("CSV") != n:
        return False
    if not all(type(v) is str for v in (*texts, *outputs)):
        return False
    joined = "\n".join(texts)
    # Exactly one non-blank, unquoted line per payload: what input_records' CSV fast path reads.
    if len(joined.splitlines()) != n or '"' in joined or not all(map(str.strip, texts)):
        return False
    try:
        scores = [float(v) for v in outputs]
    except ValueError:
        return False
    records = [text.split(",") for text in texts]
    widths = set(map(len, records))
    width = acc.width if acc.width is not None else min(widths)
    if widths != {width}:
        return False
    acc.width = width
    acc.records += records
    acc.predictions += scores
    acc.ids += fields["ids"]
    acc.times += fields["times"]
    return True


def _event(event: Any) -> tuple[list[Record], list[Prediction], str, str | None]:
    """Records, predictions, base inference id and inference time of one decoded capture line."""
    if isinstance(event, PayloadError):
        raise event
    try:
        capture = event["captureData"]
        meta = event.get("eventMetadata") or {}
        base_id = str(meta.get("inferenceId") or meta["eventId"])
        records = input_records(capture["endpointInput"])
        output = capture.get("endpointOutput")
        predictions = output_predictions(output, len(records)) if output else []
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PayloadError(_reason(exc)) from exc
    return records, predictions, base_id, meta.get("inferenceTime")


def _reason(exc: Exception) -> str:
    """Short, data-free description of why a line failed."""
    if isinstance(exc, KeyError):
        return f"missing field {exc.args[0]!r}"
    if isinstance(exc, PayloadError):
        return str(exc)
    return f"invalid line ({exc.__class__.__name__})"


def _collect(lines: Iterable[str | bytes], acc: _Collector) -> None:
    """Read every line into the collector; bad lines become issues, never exceptions."""
    for chunk in _chunks(lines, acc):
        # One JSON decode per chunk; lines in SageMaker's common shape are then added column-wise.
        parsed = _parse_chunk(chunk)
        if not _bulk(fields_of([event for _, event in parsed]), acc):
            for number, decoded in parsed:
                _add_line(number, decoded, acc)


def _add_line(number: int, decoded: Any, acc: _Collector) -> None:
    """Add one decoded line's records, or record why it was dropped."""
    try:
        records, predictions, base_id, when = _event(decoded)
    except PayloadError as exc:
        acc.issue(number, str(exc), malformed=True)
        return
    if not records:
        acc.issue(number, "no records in endpointInput", malformed=True)
        return
    widths = {len(r) for r in records if isinstance(r, list)}
    acc.width = acc.width if acc.width is not None else (min(widths) if widths else None)
    if widths and widths != {acc.width}:
        acc.issue(number, f"record widths {sorted(widths)}, expected {acc.width}", malformed=True)
        return
    if predictions and len(predictions) != len(records):
        acc.issue(number, f"{len(predictions)} predictions for {len(records)} records", malformed=False)
        predictions = []
    acc.records += records
    acc.predictions += predictions or [None] * len(records)
    # One record keeps the request's id; several get "<id>#<index>" so every record is addressable.
    acc.ids += [base_id] if len(records) == 1 else [f"{base_id}#{i}" for i in range(len(records))]
    acc.times += [when] * len(records)


def _columns(records: list[Record], names: list[str]) -> dict[str, Sequence[Any]]:
    """Transpose records (all positional with len(names) values, or named) into columns."""
    if all(isinstance(r, list) for r in records):
        transposed = list(zip(*records, strict=True)) if records else [() for _ in names]
        return dict(zip(names, transposed, strict=True))
    rows = [r if isinstance(r, dict) else dict(zip(names, r, strict=True)) for r in records]
    if not names:
        names = list(dict.fromkeys(k for r in rows for k in r))
    return {name: [r.get(name) for r in rows] for name in names}


def _parse(
    lines: Iterable[str | bytes], spec: ProfileSpec | None, names: list[str], cap: int
) -> CaptureBatch:
    """parse_capture without the garbage-collector handling."""
    acc = _Collector(cap, len(names) or None)
    _collect(lines, acc)
    names = names or [f"c{i}" for i in range(acc.width or 0)]
    kinds: dict[str, Kind] | None = spec.kinds() if spec is not None else None
    features = build_batch(_columns(acc.records, names), kinds)
    return CaptureBatch(
        features=features,
        predictions=_objects(acc.predictions),
        inference_ids=_objects(acc.ids),
        inference_times=_objects(acc.times),
        lines_read=acc.lines,
        malformed_lines=acc.malformed,
        issues=tuple(sorted(acc.issues, key=lambda issue: issue.line)),
    )


def parse_capture(
    lines: Iterable[str | bytes],
    spec: ProfileSpec | None = None,
    *,
    feature_names: Sequence[str] | None = None,
    max_issues: int = MAX_ISSUES,
) -> CaptureBatch:
    """Parse capture JSON Lines; positional (CSV) columns take the spec's (or given, or c0..cN) names."""
    names = list(spec.names) if spec is not None else list(feature_names or [])
    collecting = gc.isenabled()
    # Millions of small lists would trigger repeated full garbage collections; none of them are cyclic.
    gc.disable()
    try:
        return _parse(lines, spec, names, max_issues)
    finally:
        if collecting:
            gc.enable()


def _objects(values: Sequence[object]) -> ObjectArray:
    """An object array holding the values as they are (tuples stay tuples)."""
    out = np.empty(len(values), dtype=object)
    for i, value in enumerate(values):
        out[i] = value
    return out
