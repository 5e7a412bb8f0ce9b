"""Parse SageMaker data-capture JSON Lines into columnar feature batches, predictions and inference ids."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice
from typing import Any

import numpy as np

from mlops_drift.batch import FeatureBatch, Kind, ObjectArray, build_batch
from mlops_drift.capture_bulk import BulkChunk, bulk_chunk
from mlops_drift.capture_cells import clean_record, flat_text, reason
from mlops_drift.capture_columns import bulk_features, record_columns
from mlops_drift.capture_decode import (
    capture_lines,
    decode_block,
    typed_fields,
    typed_file_pieces,
)
from mlops_drift.capture_outputs import RecordOutputs
from mlops_drift.capture_payload import (
    PayloadError,
    Prediction,
    Record,
    fields_of,
    input_records,
    output_predictions,
)
from mlops_drift.capture_text import CsvText
from mlops_drift.schema import SchemaObservation, SchemaTally
from mlops_drift.spec import ProfileSpec

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
    """Parsed capture records: features, and one prediction, inference id and time per record (numeric
    feature columns may be read-only, pyarrow's own memory: copy one before writing into it)."""

    features: FeatureBatch
    lines_read: int
    malformed_lines: int
    issues: tuple[LineIssue, ...]  # at most MAX_ISSUES, in line order
    # Records whose shape differs from the named features.
    schema: SchemaObservation = field(default_factory=SchemaObservation)
    outputs: RecordOutputs = field(default_factory=RecordOutputs, repr=False, compare=False)

    # Built on first use: the drift check never reads them (mlops_drift.capture_outputs).
    @cached_property
    def predictions(self) -> ObjectArray:
        """One prediction per record (a number, a label, a score vector or None)."""
        return object_array(self.outputs.predictions())

    @cached_property
    def inference_ids(self) -> ObjectArray:
        """One inference id per record ("<id>#<index>" for the records of a line that holds several)."""
        return object_array(self.outputs.ids())

    @cached_property
    def inference_times(self) -> ObjectArray:
        """One inference time per record (None where the line has none)."""
        return object_array(self.outputs.times())

    def numeric_predictions(self) -> np.ndarray[Any, np.dtype[np.float64]]:
        """Predictions as float64 (NaN where a prediction is missing or not a single number)."""
        return np.array([p if isinstance(p, float) else np.nan for p in self.predictions], dtype=np.float64)


@dataclass
class _Collector:
    """Mutable accumulator used while reading lines."""

    max_issues: int
    width: int | None
    records: list[Record] = field(default_factory=list)
    # Column-wise chunks' record text, while `records` is empty.
    csv: CsvText = field(default_factory=CsvText)
    column_wise: bool = False  # whether any chunk was added column-wise (its rows unchecked one by one)
    outputs: RecordOutputs = field(default_factory=RecordOutputs)
    lines: int = 0
    malformed: int = 0
    issues: list[LineIssue] = field(default_factory=list)
    schema: SchemaTally | None = None  # when the features are named (a spec or given names)

    def issue(self, line: int, reason: str, *, malformed: bool) -> None:
        """Record an issue (capped) and count the line as malformed when it was dropped."""
        self.malformed += malformed
        if len(self.issues) < self.max_issues:
            self.issues.append(LineIssue(line, reason))


def _blocks(lines: Iterable[str | bytes]) -> Iterator[tuple[int, list[str | bytes]]]:
    """Blocks of JSON_CHUNK lines with the 1-based number of their first line."""
    remaining, first = iter(lines), 1
    while block := list(islice(remaining, JSON_CHUNK)):
        yield first, block
        first += len(block)


def _add_bulk(chunk: BulkChunk, acc: _Collector) -> None:
    """Add a qualifying chunk column-wise (as records once the per-line path has added any)."""
    acc.width, acc.column_wise = chunk.width, True
    if acc.schema is not None:
        acc.schema.records += chunk.records  # a qualifying chunk has the expected width throughout
    if acc.records:
        acc.records += [line.split(",") for line in chunk.data.decode().split("\n")]
    else:
        acc.csv.add(chunk.data, chunk.records)
    acc.outputs.parts.append(chunk.outputs)


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


def _collect(lines: Iterable[str | bytes], acc: _Collector, *, column_wise: bool) -> None:
    """Read every line into the collector; bad lines become issues, never exceptions."""
    for first, block in _blocks(lines):
        # One JSON decode per block; lines in SageMaker's common shape are then added column-wise.
        acc.lines += len(block)
        fields = typed_fields(block) if column_wise else None
        parsed = decode_block(first, block) if fields is None else None
        if parsed is not None and column_wise:
            fields = fields_of([event for _, event in parsed])
        bulk = bulk_chunk(fields, acc.width) if column_wise else None
        if bulk is not None:
            _add_bulk(bulk, acc)
            continue
        parsed = parsed if parsed is not None else decode_block(first, block)
        # Records keep their order: text kept so far becomes records before any other is added.
        if acc.csv:
            acc.records += [line.split(",") for line in acc.csv.lines()]
            acc.csv = CsvText()
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
    added = acc.outputs.lines()
    added.predictions += predictions or [None] * len(records)
    # One record keeps the request's id; several get "<id>#<index>" so every record is addressable.
    added.ids += [base_id] if len(records) == 1 else [f"{base_id}#{i}" for i in range(len(records))]
    added.times += [when] * len(records)


def _tally(records: list[Record], tally: SchemaTally) -> None:
    """Count the records' widths and field names against the named features."""
    tally.positional([len(r) for r in records if isinstance(r, list)])
    for record in records:
        if isinstance(record, dict):
            tally.named(list(record))


class _RaggedRecordsError(ValueError):
    """Column-wise records of different widths: the capture is parsed again, line by line."""


def _features(acc: _Collector, names: list[str], kinds: dict[str, Kind] | None) -> FeatureBatch:
    """Typed columns of every record: the column-wise text in one pass where it can, else cell by cell."""
    try:  # zip(strict=True) refuses rows of other widths, only possible in column-wise text
        features = bulk_features(acc.csv, names, kinds) if acc.csv else None
        if features is not None:
            return features
        columns = record_columns(acc.records or [line.split(",") for line in acc.csv.lines()], names)
    except ValueError as exc:
        if not acc.column_wise:
            raise
        raise _RaggedRecordsError(str(exc)) from None
    return build_batch(columns, kinds)


def _parse(
    lines: Sequence[str | bytes], spec: ProfileSpec | None, names: list[str], cap: int, *, column_wise: bool
) -> CaptureBatch:
    """parse_capture without the garbage-collector handling."""
    acc = _Collector(cap, len(names) or None, schema=SchemaTally(tuple(names)) if names else None)
    _collect(lines, acc, column_wise=column_wise)
    try:
        return _batch(acc, spec, names or [f"c{i}" for i in range(acc.width or 0)])
    except _RaggedRecordsError:
        return _parse(lines, spec, names, cap, column_wise=False)


def _batch(acc: _Collector, spec: ProfileSpec | None, names: list[str]) -> CaptureBatch:
    """The collected records as a batch; _RaggedRecordsError when column-wise rows differ in width."""
    features = _features(acc, names, spec.kinds() if spec is not None else None)
    return CaptureBatch(
        features=features,
        lines_read=acc.lines,
        malformed_lines=acc.malformed,
        issues=tuple(sorted(acc.issues, key=lambda issue: issue.line)),
        schema=acc.schema.observation() if acc.schema is not None else SchemaObservation(),
        outputs=acc.outputs,
    )


def _whole_file(data: bytes, spec: ProfileSpec | None, names: list[str], cap: int) -> CaptureBatch | None:
    """A file whose every line is in the common shape, as one column-wise chunk decoded in one call; None
    for any other file (it is parsed block by block)."""
    acc = _Collector(cap, len(names) or None, schema=SchemaTally(tuple(names)) if names else None)
    acc.csv = CsvText(len(data))  # never grows: CSV text is no longer than the JSON lines that carry it
    for lines, fields in typed_file_pieces(data):
        # Each piece's decoded lines are dropped once its chunk is kept (about a third of their size).
        chunk = bulk_chunk(fields, acc.width)
        if chunk is None:
            return None
        acc.lines += lines
        _add_bulk(chunk, acc)
    if not acc.column_wise:
        return None  # an empty file
    try:
        return _batch(acc, spec, names or [f"c{i}" for i in range(acc.width or 0)])
    except _RaggedRecordsError:
        return None


def parse_capture(
    lines: Iterable[str | bytes] | bytes,
    spec: ProfileSpec | None = None,
    *,
    feature_names: Sequence[str] | None = None,
    max_issues: int = MAX_ISSUES,
) -> CaptureBatch:
    """Parse capture JSON Lines (a file's bytes, or its lines); positional (CSV) columns take the spec's (or
    given, or c0..cN) names."""
    names = list(spec.names) if spec is not None else list(feature_names or [])
    collecting = gc.isenabled()
    # Millions of small lists would trigger repeated full garbage collections; none of them are cyclic.
    gc.disable()
    try:
        if isinstance(lines, bytes):
            whole = _whole_file(lines, spec, names, max_issues)
            if whole is not None:
                return whole
            lines = capture_lines(lines)
        return _parse(list(lines), spec, names, max_issues, column_wise=True)
    finally:
        if collecting:
            gc.enable()


def object_array(values: Sequence[object]) -> ObjectArray:
    """An object array holding the values as they are (tuples stay tuples)."""
    return np.fromiter(values, dtype=object, count=len(values))
