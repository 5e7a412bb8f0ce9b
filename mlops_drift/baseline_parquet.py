"""Baseline datasets in Parquet, read record batch by record batch into typed columns; S3-free.

Importing this module imports pyarrow (about 150 MB installed, a noticeable import): callers that may
never read Parquet import it lazily, where a Parquet baseline is actually read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import IO, Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from mlops_drift.baseline_sources import (
    CHUNK_ROWS,
    MAX_PARQUET_VALUES,
    BaselineFormatError,
    ColumnAccumulator,
)
from mlops_drift.batch import FeatureBatch, FloatArray, Kind, categorical_column, numeric_column

MAX_DETAIL_CHARS = 200
_READ_ERRORS = (pa.ArrowException, OSError)


def _numeric_type(data_type: Any) -> bool:
    """Types read as numbers: integers, floats, decimals, booleans (0/1) and all-null columns."""
    types = pa.types
    return bool(
        types.is_integer(data_type)
        or types.is_floating(data_type)
        or types.is_decimal(data_type)
        or types.is_boolean(data_type)
        or types.is_null(data_type)
    )


def _text_type(data_type: Any) -> bool:
    """String types, whose values are categories (or numbers parsed like CSV cells when declared so)."""
    types = pa.types
    return bool(
        types.is_string(data_type) or types.is_large_string(data_type) or types.is_string_view(data_type)
    )


def arrow_kind(data_type: Any) -> Kind | None:
    """The kind an Arrow column is profiled as when the manifest does not say; None when unsupported."""
    if pa.types.is_dictionary(data_type):
        value_type = data_type.value_type
        return Kind.CATEGORICAL if _numeric_type(value_type) or _text_type(value_type) else None
    if pa.types.is_boolean(data_type) or _text_type(data_type):
        return Kind.CATEGORICAL
    return Kind.NUMERIC if _numeric_type(data_type) else None


def _detail(prefix: str, error: Exception) -> str:
    """A short, single-line description of a pyarrow error."""
    return f"{prefix}: {' '.join(str(error).split())}"[:MAX_DETAIL_CHARS]


def _floats(array: Any) -> FloatArray:
    """A numeric Arrow array as float64, nulls and non-finite values as NaN (as CSV cells are read)."""
    values = np.array(array.cast(pa.float64(), safe=False).to_numpy(zero_copy_only=False), dtype=np.float64)
    values[~np.isfinite(values)] = np.nan
    return values


def _chunk(record: Any, kinds: Mapping[str, Kind]) -> FeatureBatch:
    """One record batch as typed columns of the given kinds."""
    numeric: dict[str, FloatArray] = {}
    categorical = {}
    mismatches: dict[str, int] = {}
    names: list[str] = record.schema.names
    for name, column in zip(names, record.columns, strict=True):
        array = column.dictionary_decode() if pa.types.is_dictionary(column.type) else column
        if kinds[name] is Kind.CATEGORICAL:
            categorical[name] = categorical_column(array.to_pylist())
        elif _numeric_type(array.type):
            numeric[name], mismatches[name] = _floats(array), 0
        else:  # strings declared numeric: parsed like CSV cells, values that are not numbers counted
            numeric[name], mismatches[name] = numeric_column(array.to_pylist())
    return FeatureBatch(record.num_rows, numeric, categorical, mismatches, tuple(names))


class ParquetSource:
    """A Parquet file read in two steps: its footer (column names and types) first, then the rows."""

    def __init__(self, file: IO[bytes]) -> None:
        try:
            self._file = pq.ParquetFile(file)
        except _READ_ERRORS as error:
            raise BaselineFormatError("not_parquet", _detail("not a Parquet file", error)) from None
        self._schema = self._file.schema_arrow
        self.names: list[str] = list(self._schema.names)

    def _kinds(self, columns: Sequence[str], declared: Mapping[str, Kind]) -> dict[str, Kind]:
        """Each column's kind: declared, else from its Arrow type; unsupported types are one error."""
        kinds: dict[str, Kind] = {}
        unsupported = []
        for name in columns:
            data_type = self._schema.field(name).type
            kind = arrow_kind(data_type)
            if kind is None:
                unsupported.append(f"{name!r} ({data_type})")
            else:
                kinds[name] = declared.get(name, kind)
        if unsupported:
            detail = f"columns of unsupported type: {', '.join(unsupported)}"[:MAX_DETAIL_CHARS]
            raise BaselineFormatError("unsupported_type", detail)
        return kinds

    def read(self, columns: Sequence[str], declared: Mapping[str, Kind]) -> FeatureBatch:
        """Read the named columns (names the file repeats are skipped) by record batch."""
        unique = [name for name in dict.fromkeys(columns) if self.names.count(name) == 1]
        rows = self._file.metadata.num_rows
        if rows * len(unique) > MAX_PARQUET_VALUES:
            detail = f"{rows} rows x {len(unique)} columns = {rows * len(unique)} values"
            raise BaselineFormatError("too_many_values", detail)
        kinds = self._kinds(unique, declared)
        accumulator = ColumnAccumulator(unique, kinds)
        try:
            for record in self._file.iter_batches(batch_size=CHUNK_ROWS, columns=unique):
                if record.num_rows:
                    accumulator.add_batch(_chunk(record, kinds))
        except _READ_ERRORS as error:
            raise BaselineFormatError("not_parquet", _detail("unreadable Parquet data", error)) from None
        return accumulator.batch()
