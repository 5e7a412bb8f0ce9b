"""Typed columns of plain CSV record lines by pyarrow's CSV reader: the column-wise path's fastest parser.

Strict on purpose: no quoting, no empty lines, every numeric cell a number or a common missing marker. Any
line it refuses makes the caller use numpy's text parser, and any cell that is not a plain number the
per-cell conversion, so results do not depend on which parser ran. Categorical columns are read
dictionary-encoded, so each distinct value is normalised once (mlops_drift.batch.normal_category), and
handed out as codes (mlops_drift.coded). Importing this module needs pyarrow with its CSV module:
capture_columns.py does without it where it is missing.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

from mlops_drift.batch import Kind, normal_category
from mlops_drift.coded import CodedColumn

_PARSE = pa_csv.ParseOptions(
    delimiter=",", quote_char=False, double_quote=False, escape_char=False, ignore_empty_lines=False
)
_DICTIONARY = pa.dictionary(pa.int32(), pa.string())
# Numeric cells that are missing as written: NaN, not a type mismatch (as in batch.numeric_column).
MISSING_CELLS = ("", "NA", "na", "N/A", "n/a", "null", "NULL", "Null", "None", "none", "NONE")
# One thread, large blocks: faster on a Lambda's one or two vCPUs; Processing scales by worker processes.
_BLOCK = 64 << 20


def _categorical(column: pa.ChunkedArray) -> CodedColumn:
    """A dictionary-encoded column as codes into its normalised category text (each chunk has a dictionary
    of its own, in order of first appearance: theirs are concatenated and the later chunks' codes offset)."""
    categories: list[str | None] = []
    codes = []
    for chunk in column.chunks:
        indices = chunk.indices.to_numpy()
        codes.append(indices + len(categories) if categories else indices)
        categories += [normal_category(value) for value in chunk.dictionary.to_pylist()]
    normal = np.fromiter(categories, dtype=object, count=len(categories))
    if len(codes) == 1:
        return CodedColumn(codes[0], normal)
    return CodedColumn(np.concatenate(codes) if codes else np.empty(0, dtype=np.int32), normal)


def _conversion(names: list[str], kinds: list[Kind]) -> pa_csv.ConvertOptions:
    """Each column typed by its kind; only the common markers are missing, and only in numeric columns."""
    return pa_csv.ConvertOptions(
        column_types={
            name: pa.float64() if kind is Kind.NUMERIC else _DICTIONARY
            for name, kind in zip(names, kinds, strict=True)
        },
        null_values=list(MISSING_CELLS),
        strings_can_be_null=False,  # categorical text stays text: normal_category decides what is missing
        quoted_strings_can_be_null=False,
        check_utf8=False,  # the text came from a Python str: valid UTF-8 by construction
    )


def arrow_columns(
    text: str | bytes | memoryview, records: int, kinds: list[Kind]
) -> list[np.ndarray | CodedColumn] | None:
    """Float64 (numeric) or coded (categorical) columns of CSV text (or its UTF-8) with `records` lines;
    None when pyarrow refuses any line (a cell that is not a number, a row of another width)."""
    names = [f"f{i}" for i in range(len(kinds))]
    convert = _conversion(names, kinds)
    try:
        data = text.encode() if isinstance(text, str) else text
        table = pa_csv.read_csv(
            pa.BufferReader(data),
            read_options=pa_csv.ReadOptions(column_names=names, use_threads=False, block_size=_BLOCK),
            parse_options=_PARSE,
            convert_options=convert,
        )
    except (pa.ArrowException, ValueError):  # ArrowInvalid; UnicodeEncodeError for lone surrogates
        return None
    if table.num_rows != records:
        return None
    return [
        table.column(name).to_numpy() if kind is Kind.NUMERIC else _categorical(table.column(name))
        for name, kind in zip(names, kinds, strict=True)
    ]
