"""Chunked baseline reading equals reading everything at once; format errors carry their code."""

from __future__ import annotations

import io

import numpy as np
import pytest

from mlops_drift import baseline_sources as sources
from mlops_drift.baseline import profile_csv
from mlops_drift.baseline_sources import BaselineFormatError, CsvSource, read_json_lines
from mlops_drift.batch import Kind
from mlops_drift.profile import profile
from mlops_drift.spec import derive_spec

ROWS = [(str(i * 0.5), ["a", "b", "c"][i % 3], str(i % 2)) for i in range(1000)]
TEXT = "x,colour,y\n" + "".join(f"{x},{c},{y}\n" for x, c, y in ROWS)


def test_chunked_csv_profile_equals_single_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "CHUNK_ROWS", 64)
    source = CsvSource(io.StringIO(TEXT), header=True)
    assert source.header == ["x", "colour", "y"]

    batch = source.read(3, {"x": 0, "colour": 1}, {})

    assert batch.n_rows == 1000 and batch.names == ("x", "colour")
    np.testing.assert_array_equal(batch.numeric["x"], [i * 0.5 for i in range(1000)])
    expected = profile_csv(io.StringIO(TEXT), target="y")
    assert profile(batch, derive_spec(batch)) == expected


def test_declared_numeric_column_counts_type_mismatches_across_chunks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sources, "CHUNK_ROWS", 10)
    text = "".join(f"{'oops' if i % 4 == 0 else i}\n" for i in range(100))

    batch = CsvSource(io.StringIO(text), header=False).read(1, {"v": 0}, {"v": Kind.NUMERIC})

    assert batch.type_mismatches["v"] == 25
    assert int(np.isnan(batch.numeric["v"]).sum()) == 25


def test_json_lines_fill_absent_features_as_missing_and_report_keys() -> None:
    text = '{"a": 1, "b": "x"}\n\n{"a": 2, "z": true}\n'

    batch, seen = read_json_lines(io.StringIO(text), ["a", "b"], {"a": Kind.NUMERIC, "b": Kind.CATEGORICAL})

    assert seen == {"a", "b", "z"}
    assert batch.n_rows == 2
    assert batch.categorical["b"].tolist() == ["x", None]


@pytest.mark.parametrize(
    ("text", "header", "code"),
    [
        ("", True, "not_csv"),
        ('a,b\n"1"2,3\n', True, "not_csv"),
        ("a,b\n1,2\n3\n", True, "ragged"),
    ],
)
def test_csv_format_errors(text: str, header: bool, code: str) -> None:
    with pytest.raises(BaselineFormatError) as caught:
        CsvSource(io.StringIO(text), header=header).read(2, {"a": 0}, {})
    assert caught.value.code == code


def test_invalid_utf8_is_reported_as_such() -> None:
    stream = io.TextIOWrapper(io.BytesIO(b"a,b\n\xff\xfe,1\n"), encoding="utf-8", newline="")
    with pytest.raises(BaselineFormatError) as caught:
        CsvSource(stream, header=True).read(2, {"a": 0}, {})
    assert caught.value.code == "not_utf8"


@pytest.mark.parametrize("line", ["[1]", "{nope", "3"])
def test_json_lines_must_be_objects(line: str) -> None:
    with pytest.raises(BaselineFormatError) as caught:
        read_json_lines(io.StringIO('{"a": 1}\n' + line + "\n"), ["a"], {})
    assert caught.value.code == "not_jsonl" and "line 2" in caught.value.detail
