"""The typed decoder's BASE64 inputs: decoded by msgspec, never more leniently than the per-line path."""

import base64
import binascii
import json
from unittest import mock

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_drift import Kind, ProfileSpec, capture, capture_bulk, capture_typed, parse_capture
from mlops_drift.spec import FeatureSpec
from tests.unit.drift.capture_lines import capture_line

SPEC = ProfileSpec((FeatureSpec("age", Kind.NUMERIC), FeatureSpec("color", Kind.CATEGORICAL)))


def _per_line(lines):
    """The per-line path alone: what every faster path must give."""
    with mock.patch.object(capture, "bulk_chunk", return_value=None):
        return parse_capture(lines, SPEC)


def _b64decode(text):
    """The per-line path's BASE64 rule (capture_payload.decode), or None where it refuses the text."""
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


# BASE64 text, and text near it: padding in odd places, URL-safe letters, blanks, a JSON escape.
_near_base64 = st.one_of(
    st.binary(max_size=12).map(lambda raw: base64.b64encode(raw).decode()),
    st.text(alphabet="QRSab019+/=-_ \n\\é", max_size=14),
)


@settings(max_examples=400, deadline=None)
@given(text=_near_base64)
def test_the_typed_decoder_takes_base64_only_where_the_per_line_path_does_and_reads_the_same_bytes(text):
    # When: one line with that input is decoded typed
    fields = capture_typed.file_fields(capture_line(text, "BASE64").encode(), 1)
    # Then: the input is bytes only where the per-line rule accepts the text, and they are its bytes
    data = fields["in_data"][0] if fields is not None else text
    if isinstance(data, bytes):
        assert data == _b64decode(text)
    else:
        assert data == text  # left as text: capture_bulk's strict check or the per-line path decides


def test_a_base64_file_is_decoded_to_bytes_by_the_typed_decoder_not_value_by_value():
    # Given: a file of BASE64 lines of one and two records
    texts = ["30,red", "40,blue\n50,red", "60,amber"]
    outputs = ["0.1", "0.2\n0.3", "0.4"]
    lines = [
        capture_line(base64.b64encode(text.encode()).decode(), "BASE64", output=output, event_id=f"e{i}")
        for i, (text, output) in enumerate(zip(texts, outputs, strict=True))
    ]
    data = "".join(line + "\n" for line in lines).encode()
    # When: parsed with the per-value BASE64 decoder and the per-line path refused
    refused = AssertionError("decoded value by value")
    with (
        mock.patch.object(capture_bulk.binascii, "a2b_base64", side_effect=refused),
        mock.patch.object(capture, "_add_line", side_effect=refused),
    ):
        batch = parse_capture(data, SPEC)
    # Then: every record arrives, with its line's prediction and id
    np.testing.assert_array_equal(batch.features.numeric["age"], [30.0, 40.0, 50.0, 60.0])
    assert batch.features.categorical["color"].tolist() == ["red", "blue", "red", "amber"]
    assert batch.predictions.tolist() == [0.1, 0.2, 0.3, 0.4]
    assert batch.inference_ids.tolist() == ["e0", "e1#0", "e1#1", "e2"]


def test_base64_text_only_the_per_line_rule_accepts_is_read_as_line_by_line():
    # Given: "MSxyZWQ=" is "1,red"; with a pad after a whole quantum, only b64decode(validate=True) takes it
    padded = base64.b64encode(b"12,red").decode() + "="
    assert _b64decode(padded) == b"12,red"
    lines = [capture_line("MSxyZWQ=", "BASE64"), capture_line(padded, "BASE64"), capture_line("", "BASE64")]
    # When: parsed from the file's bytes
    batch = parse_capture("".join(line + "\n" for line in lines).encode(), SPEC)
    # Then: the same records and issues as line by line
    reference = _per_line(lines)
    np.testing.assert_array_equal(batch.features.numeric["age"], [1.0, 12.0])
    np.testing.assert_array_equal(batch.features.numeric["age"], reference.features.numeric["age"])
    assert batch.features.categorical["color"].tolist() == ["red", "red"]
    assert (batch.issues, batch.malformed_lines) == (reference.issues, reference.malformed_lines)
    assert batch.malformed_lines == 1  # the empty input


def test_base64_of_text_that_is_not_utf8_is_reported_as_line_by_line():
    not_utf8 = base64.b64encode(b"1,r\xffd").decode()
    lines = [capture_line(not_utf8, "BASE64"), capture_line("MSxyZWQ=", "BASE64")]
    batch = parse_capture("".join(line + "\n" for line in lines).encode(), SPEC)
    reference = _per_line(lines)
    assert batch.issues == reference.issues
    assert batch.issues[0].line == 1 and "BASE64" in batch.issues[0].reason
    assert batch.features.categorical["color"].tolist() == ["red"]


def test_json_text_in_base64_inputs_keeps_its_meaning():
    # Given: BASE64 of JSON records, declared JSON: not CSV text
    record = base64.b64encode(json.dumps({"age": 7, "color": "red"}).encode()).decode()
    lines = [capture_line(record, "BASE64", content_type="application/json")]
    batch = parse_capture("".join(line + "\n" for line in lines).encode(), SPEC)
    assert batch.features.numeric["age"].tolist() == [7.0]
    assert batch.features.categorical["color"].tolist() == ["red"]
