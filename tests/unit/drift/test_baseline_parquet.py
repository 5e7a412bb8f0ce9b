"""Parquet baselines read into the same typed columns (so the same profile) as the CSV of the same data."""

from __future__ import annotations

import io
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from mlops_drift import baseline_sources as sources
from mlops_drift.baseline import profile_csv
from mlops_drift.baseline_parquet import ParquetSource
from mlops_drift.baseline_sources import BaselineFormatError, CsvSource
from mlops_drift.batch import Kind
from mlops_drift.profile import profile
from mlops_drift.spec import derive_spec

RNG = np.random.default_rng(11)
N = 1000
AGE = [None if i % 17 == 0 else int(v) for i, v in enumerate(RNG.integers(18, 90, N))]
INCOME = [None if i % 23 == 0 else float(v) for i, v in enumerate(RNG.normal(50_000, 9_000, N))]
PLAN = [None if i % 31 == 0 else str(v) for i, v in enumerate(RNG.choice(["basic", "plus", "pro"], N))]
VIP = [bool(v) for v in RNG.integers(0, 2, N)]


def parquet_file(table: pa.Table, row_group_size: int = 64) -> io.BytesIO:
    out = io.BytesIO()
    pq.write_table(table, out, row_group_size=row_group_size)
    out.seek(0)
    return out


def customers() -> pa.Table:
    plan = pa.array(PLAN, pa.string()).dictionary_encode()
    return pa.table({"age": pa.array(AGE, pa.int32()), "income": INCOME, "plan": plan, "vip": VIP})


def cell(value: object) -> str:
    """One CSV cell: empty for null, booleans as true/false, floats in full precision."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return repr(value) if isinstance(value, float) else str(value)


def as_csv(table: pa.Table) -> str:
    """The same rows as CSV text with a header row."""
    rows = zip(*(table.column(name).to_pylist() for name in table.column_names), strict=True)
    return ",".join(table.column_names) + "\n" + "".join(",".join(map(cell, row)) + "\n" for row in rows)


def test_profile_of_parquet_equals_profile_of_the_same_data_as_csv(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "CHUNK_ROWS", 100)  # several record batches over several row groups
    table = customers()

    batch = ParquetSource(parquet_file(table)).read(["age", "income", "plan", "vip"], {})

    assert profile(batch, derive_spec(batch)) == profile_csv(io.StringIO(as_csv(table)))


def test_numbers_and_categories_keep_their_values_with_nulls_as_missing() -> None:
    source = ParquetSource(parquet_file(customers()))

    batch = source.read(["age", "income", "plan", "vip"], {})

    assert source.names == ["age", "income", "plan", "vip"]
    assert batch.n_rows == N and batch.names == ("age", "income", "plan", "vip")
    expected_age = [np.nan if v is None else float(v) for v in AGE]
    np.testing.assert_array_equal(batch.numeric["age"], expected_age)
    np.testing.assert_array_equal(batch.numeric["income"], [np.nan if v is None else v for v in INCOME])
    assert batch.categorical["plan"].tolist() == PLAN
    assert batch.categorical["vip"].tolist() == ["true" if v else "false" for v in VIP]
    assert dict(batch.type_mismatches) == {"age": 0, "income": 0}


def test_decimals_unsigned_integers_and_non_finite_floats_are_numeric() -> None:
    table = pa.table(
        {
            "price": pa.array([Decimal("1.25"), None, Decimal("-3.50")], pa.decimal128(6, 2)),
            "count": pa.array([0, 2**40, 7], pa.uint64()),
            "ratio": pa.array([float("inf"), float("nan"), 0.5], pa.float32()),
        }
    )

    batch = ParquetSource(parquet_file(table)).read(["price", "count", "ratio"], {})

    np.testing.assert_array_equal(batch.numeric["price"], [1.25, np.nan, -3.5])
    np.testing.assert_array_equal(batch.numeric["count"], [0.0, 2.0**40, 7.0])
    np.testing.assert_array_equal(batch.numeric["ratio"], [np.nan, np.nan, 0.5])  # as CSV reads "inf"


def test_declared_kinds_win_over_arrow_types() -> None:
    codes = ["1", "2", "x", None, "4"]
    table = pa.table({"zone": [3, 4, None, 3, 5], "code": codes})

    batch = ParquetSource(parquet_file(table)).read(
        ["zone", "code"], {"zone": Kind.CATEGORICAL, "code": Kind.NUMERIC}
    )

    assert batch.categorical["zone"].tolist() == ["3", "4", None, "3", "5"]
    np.testing.assert_array_equal(batch.numeric["code"], [1.0, 2.0, np.nan, np.nan, 4.0])
    assert batch.type_mismatches["code"] == 1  # "x": present but not a number


def test_only_requested_columns_are_read_and_repeated_names_are_skipped() -> None:
    arrays = [pa.array([1, 2]), pa.array([3, 4]), pa.array(["a", "b"])]
    table = pa.Table.from_arrays(arrays, names=["x", "x", "label"])

    source = ParquetSource(parquet_file(table))
    batch = source.read(["x", "label"], {})

    assert source.names == ["x", "x", "label"]
    assert batch.names == ("label",) and batch.n_rows == 2


@pytest.mark.parametrize(
    ("array", "type_name"),
    [
        (pa.array([1, 2], pa.timestamp("ms")), "timestamp[ms]"),
        (pa.array([[1], [2, 3]]), "list<element: int64>"),
        (pa.array([{"a": 1}, {"a": 2}]), "struct<a: int64>"),
        (pa.array([b"\x00", b"\x01"]), "binary"),
    ],
)
def test_unsupported_column_types_name_the_column_and_its_type(array: pa.Array, type_name: str) -> None:
    table = pa.table({"ok": [1.0, 2.0], "odd": array})
    source = ParquetSource(parquet_file(table))

    with pytest.raises(BaselineFormatError) as caught:
        source.read(["ok", "odd"], {"odd": Kind.CATEGORICAL})

    assert caught.value.code == "unsupported_type"
    assert f"'odd' ({type_name})" in caught.value.detail
    assert "'ok'" not in caught.value.detail
    assert source.read(["ok"], {}).n_rows == 2  # a column left out is never checked


@pytest.mark.parametrize(
    "data",
    [b"", b"age,income\n1,2\n", parquet_file(customers()).getvalue()[:-100], b"PAR1" + b"\0" * 64 + b"PAR1"],
    ids=["empty", "csv", "truncated", "bad-footer"],
)
def test_bytes_that_are_not_parquet_are_a_format_error(data: bytes) -> None:
    with pytest.raises(BaselineFormatError) as caught:
        ParquetSource(io.BytesIO(data))

    assert caught.value.code == "not_parquet"
    assert caught.value.detail.startswith("not a Parquet file: ") and len(caught.value.detail) <= 200


def test_a_file_without_rows_reads_like_a_csv_with_only_a_header() -> None:
    empty = pa.table({"a": pa.array([], pa.float64()), "b": pa.array([], pa.string())})

    batch = ParquetSource(parquet_file(empty)).read(["a", "b"], {})

    expected = CsvSource(io.StringIO("a,b\n"), header=True).read(2, {"a": 0, "b": 1}, {})
    assert (batch.n_rows, batch.names) == (expected.n_rows, expected.names) == (0, ())


def test_rows_are_counted_even_when_no_column_is_read() -> None:
    batch = ParquetSource(parquet_file(customers())).read([], {})

    assert batch.n_rows == N and batch.names == ()
