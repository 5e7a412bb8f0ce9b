"""Column-wise fast path for capture chunks in SageMaker's common shape: plain CSV records, numeric scores.

A chunk qualifies when every line's input is unquoted CSV text (or BASE64 of it) without blank lines and
its CSV output holds one number per record. Such chunks keep their record lines as text, and the whole
capture is converted to typed columns by one numpy text-parsing pass instead of per-cell Python work.
Anything else returns None and takes the per-line path, which gives the same result more slowly.
"""

from __future__ import annotations

import binascii
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import TypeVar

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
from mlops_drift.capture_payload import Fields

_T = TypeVar("_T")


@dataclass(frozen=True)
class BulkChunk:
    """A qualifying chunk: its record lines and, per record, score, inference id and time."""

    lines: list[str]
    scores: list[float]
    ids: list[str]
    times: list[str | None]


def _decoded(value: str, encoding: object, content_type: object) -> str:
    """One CSV input as text; ValueError unless it is CSV or BASE64 of non-JSON content."""
    if encoding == "CSV":
        return value
    if encoding != "BASE64" or "json" in str(content_type).lower():
        raise ValueError("not CSV text")
    # strict_mode accepts no more than the per-line path's b64decode(validate=True).
    return binascii.a2b_base64(value, strict_mode=True).decode("utf-8")


def _input_texts(fields: Fields) -> list[str] | None:
    """Each line's input as CSV text (CSV, or BASE64 of non-JSON content), or None when any is not."""
    data, encodings = fields["in_data"], fields["in_enc"]
    if not all(type(value) is str and value for value in data):
        return None
    if encodings.count("CSV") == len(data):
        return data
    try:
        return list(map(_decoded, data, encodings, fields["in_type"]))
    except ValueError:  # binascii.Error and UnicodeDecodeError are ValueErrors
        return None


def _scores(outputs: list[str], counts: list[int] | None) -> list[float] | None:
    """One number per record from CSV outputs (a line per record), or None when any output differs."""
    try:
        if counts is None:
            return [float(text) for text in outputs]
        rows = [text.splitlines() for text in outputs]
        if list(map(len, rows)) != counts:
            return None
        return [float(value) for row in rows for value in row]
    except ValueError:
        return None


def _records(texts: list[str]) -> tuple[list[str], list[int] | None] | None:
    """Record lines and the count per input (None: one each), or None for blank lines or quoting."""
    joined = "\n".join(texts)
    lines = joined.splitlines()
    counts: list[int] | None = None
    # Non-empty inputs without blank lines give at least one line each: as many lines as inputs is one each.
    if len(lines) != len(texts):
        per_input = [text.splitlines() for text in texts]
        counts = list(map(len, per_input))
        lines = [line for records in per_input for line in records]
    if '"' in joined or not all(map(str.strip, lines)):
        return None  # blank lines and quoted fields are handled (and reported) by the per-line path
    return lines, counts


def _repeat(values: list[_T], counts: list[int] | None, *, numbered: bool = False) -> list[_T | str]:
    """Each value once per record of its input; `numbered` ids become "<id>#<index>" for several records."""
    if counts is None:
        return list(values)
    return [
        f"{value}#{i}" if numbered and count > 1 else value
        for value, count in zip(values, counts, strict=True)
        for i in range(count)
    ]


def bulk_chunk(fields: Fields | None, width: int | None) -> BulkChunk | None:
    """The chunk column-wise when it qualifies (records `width` wide once known), else None."""
    if fields is None or fields["out_enc"].count("CSV") != len(fields["out_enc"]):
        return None
    texts, outputs = _input_texts(fields), fields["out_data"]
    if texts is None or not all(type(text) is str for text in outputs):
        return None
    records = _records(texts)
    if records is None:
        return None
    lines, counts = records
    widths = set(map(str.count, lines, repeat(",")))
    if len(widths) != 1 or (width is not None and widths != {width - 1}):
        return None
    scores = _scores(outputs, counts)
    if scores is None:
        return None
    ids = _repeat(fields["ids"], counts, numbered=True)
    return BulkChunk(lines, scores, ids, _repeat(fields["times"], counts))


def _kinds(lines: list[str], names: Sequence[str], given: Mapping[str, Kind] | None) -> list[Kind]:
    """Each column's kind: given, or inferred from the same leading sample build_batch looks at."""
    head = list(zip(*(line.split(",") for line in lines[:INFER_SAMPLE]), strict=True))
    return [(given or {}).get(name) or infer_kind(column) for name, column in zip(names, head, strict=True)]


def bulk_features(
    lines: list[str], names: Sequence[str], kinds: Mapping[str, Kind] | None
) -> FeatureBatch | None:
    """Typed columns of CSV record lines in one numpy pass; None when a numeric cell is not a number."""
    column_kinds = _kinds(lines, names, kinds)
    dtype = [(f"f{i}", "f8" if kind is Kind.NUMERIC else "O") for i, kind in enumerate(column_kinds)]
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
        return None  # missing or mistyped numeric cells: the per-cell conversion counts them
    numeric: dict[str, FloatArray] = {}
    categorical: dict[str, ObjectArray] = {}
    for i, (name, kind) in enumerate(zip(names, column_kinds, strict=True)):
        column = np.ascontiguousarray(table[f"f{i}"])
        if kind is Kind.NUMERIC:
            column[~np.isfinite(column)] = np.nan
            numeric[name] = column
        else:
            categorical[name] = categorical_column(column.tolist())
    return FeatureBatch(len(lines), numeric, categorical, dict.fromkeys(numeric, 0), tuple(names))
