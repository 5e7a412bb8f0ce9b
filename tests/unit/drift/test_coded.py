"""Coded categorical columns: the same counts, values and profiles as the object arrays they stand for."""

from collections import Counter

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlops_drift import Kind, capture_arrow
from mlops_drift.coded import CategoricalColumns, CodedColumn, coded_column
from mlops_drift.profile import profile_categorical
from mlops_drift.sketch import ValueSketch


def _column(categories, codes):
    return CodedColumn(np.asarray(codes, dtype=np.int32), np.asarray(categories, dtype=object))


@given(
    categories=st.lists(st.sampled_from(["a", "b", "c", None]), min_size=1, max_size=6),
    picks=st.lists(st.integers(0, 5), max_size=40),
)
def test_counts_are_the_counter_of_the_values_in_the_same_order(categories, picks):
    # Given: codes into categories that repeat (two raw values with one normal text), as first seen
    codes = [pick % len(categories) for pick in picks]
    order = list(dict.fromkeys(codes))
    column = _column([categories[code] for code in order], [order.index(code) for code in codes])
    # When / Then: the counts are what counting the spelled-out values gives, key order included
    expected = Counter(column.values().tolist())
    assert list(column.counts().items()) == list(expected.items())
    assert len(column) == len(codes)


def test_a_category_no_record_has_is_not_counted():
    column = _column(["a", "b", "c"], [2, 0, 2])
    assert column.counts() == Counter({"c": 2, "a": 1})
    assert "b" not in column.counts()


def test_a_coded_column_is_spelled_out_once_and_only_when_read():
    # Given: one coded and one plain column
    plain = np.array(["x", None], dtype=object)
    columns = CategoricalColumns({"coded": _column(["red", None], [0, 1, 0]), "plain": plain})
    # When / Then: both read as object arrays, the coded one built once; only it offers its codes
    assert list(columns) == ["coded", "plain"] and len(columns) == 2
    assert columns["coded"].tolist() == ["red", None, "red"]
    assert columns["coded"] is columns["coded"]
    assert columns["plain"] is plain
    assert coded_column(columns, "coded") is not None
    assert coded_column(columns, "plain") is None
    assert coded_column({"plain": plain}, "plain") is None


def test_a_profile_from_codes_is_the_profile_from_values():
    column = _column(["red", "blue", None, "green", "red"], [0, 1, 2, 0, 3, 4, 4, 1])
    sketch = ValueSketch.of(["red", "blue"])
    from_codes = profile_categorical("colour", column, ("red", "blue"), sketch=sketch)
    from_values = profile_categorical("colour", column.values(), ("red", "blue"), sketch=sketch)
    assert from_codes == from_values
    assert (from_codes.count, from_codes.missing, from_codes.counts, from_codes.other) == (8, 1, (4, 2), 1)


@pytest.mark.parametrize("block", [64, 1 << 20])
def test_columns_read_in_several_blocks_give_the_values_of_one_block(monkeypatch, block):
    # Given: text long enough for several pyarrow blocks, each with a dictionary of its own
    rows = [f"{i},{['red', 'blue', 'NA', ' green', 'TRUE'][i % 5 if i < 30 else i % 2]}" for i in range(60)]
    text = "\n".join(rows).encode()
    monkeypatch.setattr(capture_arrow, "_BLOCK", block)
    # When: read
    columns = capture_arrow.arrow_columns(text, len(rows), [Kind.NUMERIC, Kind.CATEGORICAL])
    # Then: codes spell out the normalised text row by row, and count as those values do
    assert columns is not None
    coded = columns[1]
    assert isinstance(coded, CodedColumn)
    expected = [["red", "blue", None, "green", "true"][i % 5 if i < 30 else i % 2] for i in range(60)]
    assert coded.values().tolist() == expected
    assert list(coded.counts().items()) == list(Counter(expected).items())
