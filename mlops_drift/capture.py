"""Parse SageMaker data-capture JSON Lines into columnar feature batches, predictions and inference ids."""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import numpy as np

from mlops_drift.batch import FeatureBatch, Kind, ObjectArray, build_batch
from mlops_drift.capture_bulk import BulkChunk, bulk_chunk, bulk_features
from mlops_drift.capture_cells import clean_record, flat_text, reason
from mlops_drift.capture_payload import (
    PayloadError,
    Prediction,
    Record,
    fields_of,
    input_records,
    output_predictions,
)
from mlops_drift.schema import SchemaObservation, SchemaTally
from mlops_drift.spec import ProfileSpec

# Whole blocks of lines are decoded by orjson (about twice as fast) where it is installed; json is the
# fallback (the Processing job's container) and decides every line that fails, so results are the same.
_fast_loads: Callable[[str], Any]
try:
    import orjson

    _fast_loads = orjson.loads
except ImportError:
    _fast_loads = json.loads

MAX_ISSUES = 100
# Lines decoded per JSON decoder call (one call per block is markedly faster than one per line).
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
    # Records whose shape differs from the named features.
    schema: SchemaObservation = field(default_factory=SchemaObservation)

    def numeric_predictions(self) -> np.ndarray[Any, np.dtype[np.float64]]:
        """Predictions as float64 (NaN where a prediction is missing or not a single number)."""
        return np.array([p if isinstance(p, float) else np.nan for p in self.predictions], dtype=np.float64)


@dataclass
class _Collector:
    """Mutable accumulator used while reading lines."""

    max_issues: int
    width: int | None
    records: list[Record] = field(default_factory=list)
    csv_lines: list[str] = field(default_factory=list)  # records of bulk chunks, while `records` is empty
    predictions: list[Prediction] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    times: list[str | None] = field(default_factory=list)
    lines: int = 0
    malformed: int = 0
    issues: list[LineIssue] = field(default_factory=list)
    schema: SchemaTally | None = None  # when the features are named (a spec or given names)

    def issue(self, line: int, reason: str, *, malformed: bool) -> None:
        """Record an issue (capped) and count the line as malformed when it was dropped."""
        self.malformed += malformed
        if len(self.issues) < self.max_issues:
            self.issues.append(LineIssue(line, reason))


def _joined(block: list[str | bytes]) -> str:
    """The block's lines as the items of one JSON array."""
    try:
        return "[" + ",".join(block) + "]"  # type: ignore[arg-type]  # all str: the common case
    except TypeError:
        return "[" + ",".join(line.decode() if isinstance(line, bytes) else line for line in block) + "]"


def _decode_all(lines: list[str | bytes]) -> list[Any] | None:
    """Every line JSON-decoded by one call, or None when any line is blank or not JSON (to orjson)."""
    try:
        events = _fast_loads(_joined(lines))
    except ValueError:
        return None
    return events if isinstance(events, list) and len(events) == len(lines) else None


def _decode_block(first: int, block: list[str | bytes]) -> list[tuple[int, Any]]:
    """(line number, decoded event, or the PayloadError saying why not) per non-blank line of a block."""
    events = _decode_all(block)
    if events is not None:
        return list(enumerate(events, start=first))
    numbered = [(number, line) for number, line in enumerate(block, start=first) if line.strip()]
    events = _decode_all([line for _, line in numbered])
    if events is not None:
        return [(number, event) for (number, _), event in zip(numbered, events, strict=True)]
    parsed: list[tuple[int, Any]] = []
    for number, line in numbered:
        try:
            parsed.append((number, json.loads(line)))
        except RecursionError:
            parsed.append((number, PayloadError("line nested too deeply")))
        except ValueError as exc:
            parsed.append((number, PayloadError(f"invalid JSON ({exc.__class__.__name__})")))
    return parsed


def _blocks(lines: Iterable[str | bytes]) -> Iterator[tuple[int, list[str | bytes]]]:
    """Blocks of JSON_CHUNK lines with the 1-based number of their first line."""
    remaining, first = iter(lines), 1
    while block := list(islice(remaining, JSON_CHUNK)):
        yield first, block
        first += len(block)


def _add_bulk(chunk: BulkChunk, acc: _Collector) -> None:
    """Add a qualifying chunk column-wise (as records once the per-line path has added any)."""
    acc.width = chunk.lines[0].count(",") + 1
    if acc.schema is not None:
        acc.schema.records += len(chunk.lines)  # a qualifying chunk has the expected width throughout
    if acc.records:
        acc.records += [line.split(",") for line in chunk.lines]
    else:
        acc.csv_lines += chunk.lines
    acc.predictions += chunk.scores
    acc.ids += chunk.ids
    acc.times += chunk.times


def _event(event: Any) -> tuple[list[Record], list[Prediction], str, str | None]:
    """Records, predictions, base inference id and inference time of one decoded capture line."""
    if isinstance(event, PayloadError):
        raise event
    try:
        capture = event["captureData"]
        meta = event.get("eventMetadata") or {}
        base_id = _text(meta.get("inferenceId") or meta["eventId"])
        records = [clean_record(record) for record in input_records(capture["endpointInput"])]
        output = capture.get("endpointOutput")
        predictions = output_predictions(output, len(records)) if output else []
        when = meta.get("inferenceTime")
    # Any failure of one line's content (including RecursionError and OverflowError) drops that line only.
    except Exception as exc:
        raise PayloadError(reason(exc)) from None
    return records, predictions, base_id, when if isinstance(when, str) else None


def _text(value: Any) -> str:
    """An id as text: strings as they are, anything else as flat JSON."""
    return value if isinstance(value, str) else flat_text(value)


def _collect(lines: Iterable[str | bytes], acc: _Collector) -> None:
    """Read every line into the collector; bad lines become issues, never exceptions."""
    for first, block in _blocks(lines):
        # One JSON decode per block; lines in SageMaker's common shape are then added column-wise.
        acc.lines += len(block)
        parsed = _decode_block(first, block)
        bulk = bulk_chunk(fields_of([event for _, event in parsed]), acc.width)
        if bulk is not None:
            _add_bulk(bulk, acc)
            continue
        # Records keep their order: lines kept as text so far become records before any other is added.
        acc.records += [line.split(",") for line in acc.csv_lines]
        acc.csv_lines = []
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
    if acc.schema is not None:
        _tally(records, acc.schema)
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


def _tally(records: list[Record], tally: SchemaTally) -> None:
    """Count the records' widths and field names against the named features."""
    tally.positional([len(r) for r in records if isinstance(r, list)])
    for record in records:
        if isinstance(record, dict):
            tally.named(list(record))


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
    acc = _Collector(cap, len(names) or None, schema=SchemaTally(tuple(names)) if names else None)
    _collect(lines, acc)
    names = names or [f"c{i}" for i in range(acc.width or 0)]
    kinds: dict[str, Kind] | None = spec.kinds() if spec is not None else None
    features = bulk_features(acc.csv_lines, names, kinds) if acc.csv_lines else None
    if features is None:
        records = acc.records or [line.split(",") for line in acc.csv_lines]
        features = build_batch(_columns(records, names), kinds)
    return CaptureBatch(
        features=features,
        predictions=object_array(acc.predictions),
        inference_ids=object_array(acc.ids),
        inference_times=object_array(acc.times),
        lines_read=acc.lines,
        malformed_lines=acc.malformed,
        issues=tuple(sorted(acc.issues, key=lambda issue: issue.line)),
        schema=acc.schema.observation() if acc.schema is not None else SchemaObservation(),
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


def object_array(values: Sequence[object]) -> ObjectArray:
    """An object array holding the values as they are (tuples stay tuples)."""
    return np.fromiter(values, dtype=object, count=len(values))
