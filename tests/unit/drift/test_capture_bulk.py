"""The column-wise capture path gives exactly what the per-line path gives, for any mix of lines."""

import base64
import contextlib
import json
import math
from collections import Counter
from unittest import mock

import numpy as np
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_drift import (
    FeatureBatch,
    Kind,
    ProfileSpec,
    batch_from_arrays,
    capture,
    capture_bulk,
    capture_columns,
    capture_decode,
    parse_capture,
    profile,
)
from mlops_drift.coded import coded_column
from mlops_drift.spec import FeatureSpec, derive_spec
from tests.unit.drift.capture_lines import capture_line

SPEC = ProfileSpec(
    (
        FeatureSpec("age", Kind.NUMERIC),
        FeatureSpec("income", Kind.NUMERIC),
        FeatureSpec("color", Kind.CATEGORICAL),
    )
)
# Cells that numpy's text parser and Python's float() might read differently, and missing markers.
CELLS = ["1", "2.5", "-3", " 4 ", "1e3", "", "NA", "nan", "inf", "-0", "red", " blue", "1_0", "0x1", ".5"]
CELLS += ["null", "N/A", "None", "+1", "1.", "-inf", "Infinity", "1e999", "café", "日本"]
SCORES = ["0.5", "1", " 0.25 ", "cat", "0.1,0.9", "nan"]


def _per_line_only(lines, spec=None):
    """The reference: the per-line path alone (the column-wise path switched off)."""
    with mock.patch.object(capture, "bulk_chunk", return_value=None):
        return parse_capture(lines, spec)


def _same(value, other):
    if isinstance(value, float) and isinstance(other, float) and math.isnan(value):
        return math.isnan(other)
    return value == other


def _assert_equal(batch, reference):
    features, expected = batch.features, reference.features
    assert features.n_rows == expected.n_rows
    assert features.order == expected.order
    assert features.numeric.keys() == expected.numeric.keys()
    for name, column in expected.numeric.items():
        np.testing.assert_array_equal(features.numeric[name], column)
    assert {k: v.tolist() for k, v in features.categorical.items()} == {
        k: v.tolist() for k, v in expected.categorical.items()
    }
    assert features.type_mismatches == expected.type_mismatches
    assert len(batch.predictions) == len(reference.predictions)
    assert all(map(_same, batch.predictions.tolist(), reference.predictions.tolist()))
    assert batch.inference_ids.tolist() == reference.inference_ids.tolist()
    assert batch.inference_times.tolist() == reference.inference_times.tolist()
    assert (batch.lines_read, batch.malformed_lines) == (reference.lines_read, reference.malformed_lines)
    assert batch.issues == reference.issues


def _rarely(draw):
    """True about one time in eight: most generated lines are clean, so most chunks go column-wise."""
    return draw(st.integers(0, 7)) == 0


def _record(draw, width):
    """One CSV record: numbers and colours, now and then a cell the numeric parsers may disagree on."""
    plain = st.sampled_from(["1", "2.5", "-3", "1e3", "inf", "nan", "red", "blue"])
    cells = [draw(st.sampled_from(CELLS) if _rarely(draw) else plain) for _ in range(width)]
    return ",".join(cells)


def _json_only_line(text):
    """A line that Python's json reads (NaN, a 70-bit integer) and orjson refuses."""
    return capture_line(text).replace('"eventVersion": "0"', f'"eventVersion": NaN, "n": {2**70}')


@st.composite
def _capture_lines(draw, width):
    """A capture line of 1-3 records, CSV or BASE64; now and then ragged, quoted, blank or broken."""
    n = draw(st.integers(1, 3))
    separator = draw(st.sampled_from(["\n\n", "\n \n", "\r\n"])) if _rarely(draw) else "\n"
    text = separator.join(_record(draw, width + _rarely(draw)) for _ in range(n))
    if _rarely(draw):
        text = text.replace("red", '"red"') + draw(st.sampled_from(["\n", "\n\n", "\n \n"]))
    outputs = [draw(st.sampled_from(SCORES)) if _rarely(draw) else "0.5" for _ in range(n + _rarely(draw))]
    kind = draw(st.sampled_from(["CSV", "BASE64"]))
    if _rarely(draw):
        return draw(st.sampled_from(["  ", "{not json", capture_line(text, "JSON"), _json_only_line(text)]))
    data = base64.b64encode(text.encode()).decode() if kind == "BASE64" else text
    eid = f"e{draw(st.integers(0, 10**6))}"
    iid = draw(st.sampled_from([None, eid + "x"]))
    return capture_line(data, kind, output="\n".join(outputs), event_id=eid, inference_id=iid)


# Where the Processing job's container lacks msgspec or pyarrow, the generic decoder and numpy's parser serve.
INSTALLED = {
    "all": {},
    "no msgspec": {(capture_decode, "USE_TYPED"): False},
    "no pyarrow": {(capture_columns, "USE_ARROW"): False},
    "json and numpy only": {
        (capture_decode, "USE_TYPED"): False,
        (capture_columns, "USE_ARROW"): False,
        (capture_decode, "_fast_loads"): json.loads,
    },
}


@pytest.mark.parametrize("installed", INSTALLED)
@settings(max_examples=150, deadline=None)
@given(
    lines=st.lists(_capture_lines(3), max_size=12),
    chunk=st.integers(1, 5),
    with_spec=st.booleans(),
    as_file=st.booleans(),
    piece=st.sampled_from([1, 300, 4 << 20]),  # a file's bytes per typed decode: a line, a few, all
)
def test_any_mix_of_lines_parses_exactly_as_line_by_line(installed, lines, chunk, with_spec, as_file, piece):
    spec = SPEC if with_spec else None
    source = "".join(line + "\n" for line in lines).encode() if as_file else lines  # a file, or its lines
    with contextlib.ExitStack() as patches:
        for (module, name), value in INSTALLED[installed].items():
            patches.enter_context(mock.patch.object(module, name, value))
        patches.enter_context(mock.patch.object(capture, "JSON_CHUNK", chunk))
        patches.enter_context(mock.patch.object(capture_decode, "FILE_BLOCK", piece))
        _assert_equal(parse_capture(source, spec), _per_line_only(lines, spec))


def test_common_shape_takes_the_column_wise_path():
    # Given: one-record CSV lines and multi-record BASE64 lines, all clean
    lines = [capture_line("30,1.5,red", event_id="a")]
    lines.append(
        capture_line(base64.b64encode(b"40,2.5,blue\n50,3.5,red").decode(), "BASE64", output="0.1\n0.9")
    )
    # When: parsed with the per-line path refused
    with mock.patch.object(capture, "_add_line", side_effect=AssertionError("per-line path taken")):
        batch = parse_capture(lines, SPEC)
    # Then: every record arrives typed, ids numbered for the multi-record line
    np.testing.assert_array_equal(batch.features.numeric["age"], [30.0, 40.0, 50.0])
    assert batch.features.categorical["color"].tolist() == ["red", "blue", "red"]
    assert batch.predictions.tolist() == [0.5, 0.1, 0.9]
    assert batch.inference_ids.tolist() == ["a", "e1#0", "e1#1"]


def test_missing_numbers_in_clean_lines_are_missing_not_mismatches():
    lines = [capture_line("30,,red"), capture_line("NA,2,blue"), capture_line("x,3,blue")]
    batch = parse_capture(lines, SPEC)
    assert np.isnan(batch.features.numeric["age"][[1, 2]]).all()
    assert np.isnan(batch.features.numeric["income"][0])
    assert batch.features.type_mismatches == {"age": 1, "income": 0}


def test_records_keep_line_order_when_column_wise_and_per_line_chunks_mix():
    lines = [capture_line(f"{i},1,red") for i in range(4)]
    lines[2] = capture_line('2,1,"red"')  # quoting: that chunk takes the per-line path
    with mock.patch.object(capture, "JSON_CHUNK", 1):
        batch = parse_capture(lines, SPEC)
    np.testing.assert_array_equal(batch.features.numeric["age"], [0.0, 1.0, 2.0, 3.0])


def test_lines_only_the_json_module_reads_are_not_lost_to_the_faster_decoder():
    assert capture_decode._fast_loads is orjson.loads  # the installed fast decoder is in use
    lines = [capture_line("1,2,red"), _json_only_line("3,4,blue"), capture_line("5,6,red")]
    batch = parse_capture(lines, SPEC)
    with mock.patch.object(capture_decode, "_fast_loads", json.loads):
        reference = parse_capture(lines, SPEC)
    _assert_equal(batch, reference)
    np.testing.assert_array_equal(batch.features.numeric["age"], [1.0, 3.0, 5.0])


def test_a_row_of_another_width_in_column_wise_text_is_reported_as_line_by_line():
    # Given: clean lines, one of which holds a second record one cell wider than the first
    lines = [capture_line("30,1.5,red"), capture_line("40,2.5,blue\n50,3.5,red,extra", output="0.1\n0.9")]
    lines.append(capture_line("60,4.5,blue"))
    # When: parsed (the chunk qualifies column-wise: the width check is left to the column parser)
    batch = parse_capture(lines, SPEC)
    # Then: the line is dropped with the per-line path's reason, and the others are kept
    assert batch.issues == (capture.LineIssue(2, "record widths [3, 4], expected 3"),)
    np.testing.assert_array_equal(batch.features.numeric["age"], [30.0, 60.0])
    _assert_equal(batch, _per_line_only(lines, SPEC))


def test_missing_markers_in_numeric_cells_are_missing_by_every_parser():
    lines = [capture_line(f"{cell},1,red") for cell in ("", "NA", "null", "None", "n/a", "7")]
    for arrow in (True, False):
        with mock.patch.object(capture_columns, "USE_ARROW", arrow):
            batch = parse_capture(lines, SPEC)
        assert np.isnan(batch.features.numeric["age"][:5]).all()
        assert batch.features.numeric["age"][5] == 7.0
        assert batch.features.type_mismatches["age"] == 0


def test_predictions_ids_and_times_of_column_wise_lines_are_built_when_first_read():
    lines = [capture_line("30,1.5,red\n40,2.5,blue", output="0.25\ncat", event_id="a", inference_id="i")]
    batch = parse_capture(lines, SPEC)
    assert "predictions" not in vars(batch)  # nothing built until asked for
    assert batch.predictions.tolist() == [0.25, "cat"]
    assert batch.inference_ids.tolist() == ["i#0", "i#1"]
    assert batch.inference_times.tolist() == ["2025-01-01T00:00:00Z"] * 2


def test_a_file_in_the_common_shape_is_decoded_whole_and_column_wise():
    data = "".join(capture_line(f"{i},1.5,red", event_id=f"e{i}") + "\n" for i in range(5)).encode()
    by_block = AssertionError("decoded block by block")
    with (
        mock.patch.object(capture, "decode_block", side_effect=by_block),
        mock.patch.object(capture, "typed_fields", side_effect=by_block),
    ):
        batch = parse_capture(data, SPEC)
    np.testing.assert_array_equal(batch.features.numeric["age"], [0.0, 1.0, 2.0, 3.0, 4.0])
    assert (batch.lines_read, batch.inference_ids.tolist()) == (5, [f"e{i}" for i in range(5)])


def test_a_carriage_return_inside_a_line_keeps_the_file_off_the_whole_file_decoder():
    # msgspec would end a line at the bare "\r"; a capture line keeps it (here: JSON whitespace)
    data = (capture_line("1,2,red").replace(", ", ",\r", 1) + "\n" + capture_line("3,4,blue") + "\n").encode()
    batch = parse_capture(data, SPEC)
    assert (batch.lines_read, batch.malformed_lines) == (2, 0)
    np.testing.assert_array_equal(batch.features.numeric["age"], [1.0, 3.0])


def test_a_file_decoded_in_pieces_gives_the_records_of_every_piece_in_order():
    data = "".join(capture_line(f"{i},1.5,red", event_id=f"e{i}") + "\n" for i in range(7)).encode()
    with mock.patch.object(capture_decode, "FILE_BLOCK", 1):  # one line per piece
        batch = parse_capture(data, SPEC)
    np.testing.assert_array_equal(batch.features.numeric["age"], np.arange(7.0))
    assert (batch.lines_read, batch.inference_ids.tolist()) == (7, [f"e{i}" for i in range(7)])


def test_a_piece_the_typed_decoder_refuses_sends_the_whole_file_to_the_block_path():
    # Given: a file whose first pieces are clean and whose last line has a JSON output (not column-wise)
    lines = [capture_line(f"{i},1.5,red") for i in range(4)]
    lines.append(capture_line("9,1.5,red", output="[0.5]", out_encoding="JSON", out_type="application/json"))
    data = "".join(line + "\n" for line in lines).encode()
    # When: decoded one line per piece
    with mock.patch.object(capture_decode, "FILE_BLOCK", 1):
        batch = parse_capture(data, SPEC)
    # Then: every record is kept once, exactly as line by line
    np.testing.assert_array_equal(batch.features.numeric["age"], [0.0, 1.0, 2.0, 3.0, 9.0])
    _assert_equal(batch, _per_line_only(lines, SPEC))


@given(values=st.lists(st.text(alphabet="a\né日\r\t\x1f,", max_size=6), min_size=1, max_size=8))
def test_line_breaks_of_each_input_are_counted_from_the_joined_bytes(values):
    raw = "\n".join(values).encode()
    lengths = [len(value.encode()) for value in values]
    breaks = capture_bulk._breaks_within(raw, len(values), lambda: lengths)
    # A carriage return (a line break to str.splitlines) leaves the counting to the per-line path
    expected = None if any("\r" in value for value in values) else [value.count("\n") for value in values]
    assert breaks == expected


@pytest.mark.parametrize("other", ["\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"])
@pytest.mark.parametrize("records", [1, 2])
def test_an_input_holding_another_line_break_takes_the_per_line_path(other, records):
    # Given: a file whose second input holds a break str.splitlines honours besides "\n"
    rows = "\n".join(["1,2,red"] * (records - 1) + [f"3,4,bl{other}ue"])
    outputs = "\n".join(["0.5"] * records)
    lines = [
        capture_line("5,6,red", "CSV", event_id="e0"),
        capture_line(rows, "CSV", output=outputs, event_id="e1"),
    ]
    # When: parsed
    batch = parse_capture(lines, SPEC)
    # Then: exactly as line by line
    _assert_equal(batch, _per_line_only(lines, SPEC))


@pytest.mark.parametrize("encoding", ["CSV", "BASE64"])
def test_lines_of_several_records_beyond_ascii_take_the_column_wise_path_with_their_ids(encoding):
    # Given: multi-record lines with non-ASCII categories
    texts = ["1,2,日本語の\n3,4,x", "5,6,y\n7,8,z", "9,1,café", "2,3,ü\n4,5,ö\n6,7,ä"]
    outputs = ["0.1\n0.2", "0.3\n0.4", "0.5", "0.6\n0.7\n0.8"]
    if encoding == "BASE64":
        texts = [base64.b64encode(text.encode()).decode() for text in texts]
    lines = [
        capture_line(text, encoding, output=output, event_id=f"e{i}")
        for i, (text, output) in enumerate(zip(texts, outputs, strict=True))
    ]
    # When: parsed with the per-line path refused
    with mock.patch.object(capture, "_add_line", side_effect=AssertionError("per-line path taken")):
        batch = parse_capture(lines, SPEC)
    # Then: every record keeps its line's id, numbered where the line holds several
    assert batch.inference_ids.tolist() == ["e0#0", "e0#1", "e1#0", "e1#1", "e2", "e3#0", "e3#1", "e3#2"]
    assert batch.features.categorical["color"].tolist() == ["日本語の", "x", "y", "z", "café", "ü", "ö", "ä"]
    _assert_equal(batch, _per_line_only(lines, SPEC))


def test_the_column_parser_hands_out_numbers_without_a_copy_and_categories_as_codes():
    # Given: clean lines in the common shape, one colour missing
    lines = [capture_line(f"{i},{i * 2}.5,{'red' if i % 2 else 'NA'}", event_id=f"e{i}") for i in range(6)]
    # When: parsed by pyarrow's reader
    batch = parse_capture(lines, SPEC)
    features = batch.features
    # Then: the numbers are pyarrow's read-only memory, and reading them (profiling) works as on a copy
    assert not features.numeric["age"].flags.writeable
    coded = coded_column(features.categorical, "color")
    assert coded is not None
    assert coded.counts() == Counter({"red": 3, None: 3})
    spec = derive_spec(batch_from_arrays({"age": [1.0, 5.0], "income": [1.0, 2.0]}, {"color": ["red", "x"]}))
    copied = FeatureBatch(
        features.n_rows,
        {name: column.copy() for name, column in features.numeric.items()},
        {"color": features.categorical["color"].copy()},
        features.type_mismatches,
        features.order,
    )
    assert profile(features, spec).to_dict() == profile(copied, spec).to_dict()
