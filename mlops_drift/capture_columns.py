"""Typed feature columns of the column-wise chunks' CSV text, in one parsing pass over the whole capture.

pyarrow's CSV reader where it is installed (the drift-check function), numpy's text parser elsewhere (the
Processing job's container). Either refuses anything that needs care (a cell that is not a plain number, a
row of another width), and the caller then converts cell by cell, which decides every case.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

import numpy as np

from mlops_drift.batch import (
    INFER_SAMPLE,
    FeatureBatch,
    FloatArray,
    Kind,
    ObjectArray,
    categorical_column,
    infer_kind,
)
from mlops_drift.capture_payload import Record
from mlops_drift.capture_text import CsvText
from mlops_drift.coded import CategoricalColumns, CodedColumn

# False: numpy's parser only, as where pyarrow is missing (tests and the bench's --generic set it).
USE_ARROW = True
_ArrowColumns = Callable[[str | bytes | memoryview, int, list[Kind]], list[np.ndarray | CodedColumn] | None]


@cache
def _arrow_reader() -> _ArrowColumns | None:
    """pyarrow's column reader, imported on first use: importing pyarrow takes about 0.2 s, which a function
    that never parses capture in bulk (the register function) should not pay. None where it is missing."""
    try:
        from mlops_drift.capture_arrow import arrow_columns
    except ImportError:
        return None
    return arrow_columns


def _kinds(text: CsvText, names: Sequence[str], given: Mapping[str, Kind] | None) -> list[Kind]:
    """Each column's kind: given, or inferred from the same leading sample build_batch looks at."""
    kinds = [(given or {}).get(name) for name in names]
    if None in kinds:
        head = list(zip(*(line.split(",") for line in text.lines(INFER_SAMPLE)), strict=True))
        kinds = [kind or infer_kind(column) for kind, column in zip(kinds, head, strict=True)]
    return [kind for kind in kinds if kind is not None]


def _numpy_columns(lines: list[str], kinds: list[Kind]) -> list[np.ndarray] | None:
    """Float64 or object columns by numpy's text parser; None when a numeric cell is not a number."""
    dtype = [(f"f{i}", "f8" if kind is Kind.NUMERIC else "O") for i, kind in enumerate(kinds)]
    try:
        table = np.loadtxt(
            lines,  # one record per item: no joined copy of the text
            delimiter=",",
            dtype=dtype,
            comments=None,
            quotechar=None,
            ndmin=1,
            encoding=None,
        )
    except ValueError:
        return None  # missing or mistyped numeric cells, or ragged rows: the per-cell conversion decides
    if len(table) != len(lines):
        return None  # loadtxt passes over empty lines; the per-line path's rule decides them
    columns = [np.ascontiguousarray(table[f"f{i}"]) for i in range(len(kinds))]
    return [
        column if kind is Kind.NUMERIC else categorical_column(column.tolist())
        for column, kind in zip(columns, kinds, strict=True)
    ]


def bulk_features(
    text: CsvText, names: Sequence[str], kinds: Mapping[str, Kind] | None
) -> FeatureBatch | None:
    """Typed columns of the chunks' UTF-8 CSV text; None when a cell or a row needs care."""
    column_kinds = _kinds(text, names, kinds)
    arrow = _arrow_reader() if USE_ARROW else None
    records = text.records
    columns: Sequence[np.ndarray | CodedColumn] | None = None
    if arrow is not None:
        columns = arrow(text.view(), records, column_kinds)
    if columns is None:
        columns = _numpy_columns(text.lines(), column_kinds)
    if columns is None:
        return None
    numeric: dict[str, FloatArray] = {}
    categorical: dict[str, ObjectArray | CodedColumn] = {}
    for name, kind, column in zip(names, column_kinds, columns, strict=True):
        if isinstance(column, CodedColumn):
            categorical[name] = column
        elif kind is Kind.NUMERIC:
            finite = np.isfinite(column)
            # Infinities are missing. A column without any is handed out as the parser made it, without a
            # copy: read-only where it is pyarrow's memory (nothing that reads a batch writes into it).
            numeric[name] = column if finite.all() else np.where(finite, column, np.nan)
        else:
            categorical[name] = column
    return FeatureBatch(
        records, numeric, CategoricalColumns(categorical), dict.fromkeys(numeric, 0), tuple(names)
    )


def record_columns(records: list[Record], names: list[str]) -> dict[str, Sequence[Any]]:
    """Records (all positional with len(names) values, or named) as columns; ValueError for ragged ones."""
    if all(isinstance(r, list) for r in records):
        transposed = list(zip(*records, strict=True)) if records else [() for _ in names]
        return dict(zip(names, transposed, strict=True))
    rows = [r if isinstance(r, dict) else dict(zip(names, r, strict=True)) for r in records]
    if not names:
        names = list(dict.fromkeys(k for r in rows for k in r))
    return {name: [r.get(name) for r in rows] for name in names}
