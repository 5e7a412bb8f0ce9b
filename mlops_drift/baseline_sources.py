"""Baseline datasets from text streams (CSV, JSON Lines), chunked into typed columns; S3-free."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TextIO

import numpy as np

from mlops_drift.batch import FeatureBatch, FloatArray, Kind, ObjectArray, build_batch

# Rows converted to typed arrays at a time: raw cells of one chunk at most are held as Python strings.
CHUNK_ROWS = 20_000
# Values (rows x profiled columns) a Parquet baseline may hold. Parquet compresses far better than CSV, so
# the byte cap alone would let through tables whose typed columns outgrow the function's memory.
MAX_PARQUET_VALUES = 25_000_000


class BaselineFormatError(ValueError):
    """The data is not the expected format; `code` says how (not_utf8, not_csv, ragged, not_jsonl, ...)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


class ColumnAccumulator:
    """Rows in, typed columns out; kinds not given are inferred from the first chunk and then kept."""

    def __init__(self, names: Sequence[str], kinds: Mapping[str, Kind]) -> None:
        self._names = tuple(names)
        self._kinds = dict(kinds)
        self._pending: list[Sequence[object]] = []
        self._numeric: dict[str, list[FloatArray]] = {}
        self._categorical: dict[str, list[ObjectArray]] = {}
        self._mismatches: dict[str, int] = {}
        self.rows = 0

    def add(self, row: Sequence[object]) -> None:
        """Add one row, aligned with the names."""
        self._pending.append(row)
        self.rows += 1
        if len(self._pending) >= CHUNK_ROWS:
            self._flush()

    def _flush(self) -> None:
        """Convert the pending rows into typed arrays and drop the raw cells."""
        if not self._pending or not self._names:
            self._pending = []
            return
        columns = dict(zip(self._names, zip(*self._pending, strict=True), strict=True))
        self._pending = []
        self._append(build_batch(columns, self._kinds))

    def add_batch(self, chunk: FeatureBatch) -> None:
        """Add rows already converted to typed columns (a columnar source such as Parquet)."""
        self._flush()
        self.rows += chunk.n_rows
        self._append(chunk)

    def _append(self, chunk: FeatureBatch) -> None:
        """Keep a typed chunk's columns; their kinds are fixed from then on."""
        for name, values in chunk.numeric.items():
            self._kinds[name] = Kind.NUMERIC
            self._numeric.setdefault(name, []).append(values)
            self._mismatches[name] = self._mismatches.get(name, 0) + chunk.type_mismatches.get(name, 0)
        for name, cells in chunk.categorical.items():
            self._kinds[name] = Kind.CATEGORICAL
            self._categorical.setdefault(name, []).append(cells)

    def batch(self) -> FeatureBatch:
        """Every row added so far as one feature batch, in name order."""
        self._flush()
        numeric = {name: np.concatenate(parts) for name, parts in self._numeric.items()}
        categorical = {name: np.concatenate(parts) for name, parts in self._categorical.items()}
        order = tuple(name for name in self._names if name in numeric or name in categorical)
        return FeatureBatch(self.rows, numeric, categorical, dict(self._mismatches), order)


def _guarded(rows: Iterator[Any], code: str) -> Iterator[Any]:
    """Re-raise decoding and parsing failures of a text stream as BaselineFormatError."""
    try:
        yield from rows
    except UnicodeDecodeError as error:
        detail = f"not UTF-8 text ({error.reason}): compressed, binary or another encoding?"
        raise BaselineFormatError("not_utf8", detail) from None
    except csv.Error as error:
        raise BaselineFormatError(code, f"not CSV: {error}") from None


def _csv_rows(text: TextIO) -> Iterator[tuple[int, list[str]]]:
    """Non-empty CSV rows with the line number they end on."""
    # Strict: bad quoting is an error, not a silently merged field.
    reader = csv.reader(text, strict=True)
    for row in reader:
        if row:
            yield reader.line_num, row


class CsvSource:
    """A CSV stream read in two steps: the header (if any) first, then the rows."""

    def __init__(self, text: TextIO, *, header: bool) -> None:
        self._rows: Iterator[tuple[int, list[str]]] = _guarded(_csv_rows(text), "not_csv")
        self.header: list[str] | None = None
        if header:
            first = next(self._rows, None)
            if first is None:
                raise BaselineFormatError("not_csv", "empty: no header row")
            self.header = [name.strip() for name in first[1]]

    def read(self, width: int, columns: Mapping[str, int], kinds: Mapping[str, Kind]) -> FeatureBatch:
        """Read the rows, keeping `columns` (name → position); a row of another width is an error."""
        accumulator = ColumnAccumulator(list(columns), kinds)
        positions = list(columns.values())
        for line, row in self._rows:
            if len(row) != width:
                detail = f"line {line} has {len(row)} fields, expected {width}"
                raise BaselineFormatError("ragged", detail)
            accumulator.add([row[i] for i in positions])
        return accumulator.batch()


def _record(line: str, number: int) -> Mapping[str, Any]:
    """One JSON Lines record, which must be a JSON object."""
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, RecursionError):
        raise BaselineFormatError("not_jsonl", f"line {number} is not JSON") from None
    if not isinstance(record, dict):
        raise BaselineFormatError(
            "not_jsonl", f"line {number} is a JSON {type(record).__name__}, not an object"
        )
    return record


def _json_lines(text: TextIO) -> Iterator[tuple[int, str]]:
    """Non-blank lines with their numbers."""
    for number, line in enumerate(text, 1):
        if line.strip():
            yield number, line


def read_json_lines(
    text: TextIO, names: Sequence[str], kinds: Mapping[str, Kind]
) -> tuple[FeatureBatch, set[str]]:
    """The named features of `{feature: value}` records (absent = missing), and every key seen."""
    accumulator = ColumnAccumulator(names, kinds)
    seen: set[str] = set()
    for number, line in _guarded(_json_lines(text), "not_jsonl"):
        record = _record(line, number)
        seen.update(record)
        accumulator.add([record.get(name) for name in names])
    return accumulator.batch(), seen
