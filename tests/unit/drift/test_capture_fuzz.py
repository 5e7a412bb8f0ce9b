"""Structural fuzzing of capture files: any lines, payloads and encodings; never an exception, same answer."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlops_drift import Kind, ProfileSpec
from mlops_drift.capture_decode import capture_lines
from mlops_drift.spec import FeatureSpec
from tests.unit.drift.paths import lambda_path, processing_path

SPEC = ProfileSpec(
    (
        FeatureSpec("a", Kind.NUMERIC, edges=(0.0, 1.0, 2.0)),
        FeatureSpec("b", Kind.CATEGORICAL, categories=("x",)),
    )
)
_numbers = st.one_of(
    st.integers(-(10**400), 10**400), st.floats(allow_nan=True, allow_infinity=True), st.just(1.7e308)
)
_scalars = st.one_of(st.none(), st.booleans(), _numbers, st.text(max_size=8))
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
)
_csv = st.text(alphabet=',0123456789.-+eE"xaTrue \n\r\t', max_size=30)
_deep = st.sampled_from([3, 900, 5_000, 60_000]).map(lambda depth: "[" * depth + "]" * depth)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


_data: st.SearchStrategy[Any] = st.one_of(
    _csv,
    _values.map(json.dumps),
    _values,
    _deep,
    st.binary(max_size=20).map(_b64),
    _csv.map(lambda text: _b64(text.encode())),
    st.just("!!not base64!!"),
)
_blocks = st.fixed_dictionaries(
    {"data": _data},
    optional={
        "encoding": st.sampled_from(["CSV", "JSON", "BASE64", "base64", "XML", 7]),
        "observedContentType": st.sampled_from(["text/csv", "application/json", "x/y"]),
        "mode": st.just("INPUT"),
    },
)
_meta = st.fixed_dictionaries(
    {"eventId": st.one_of(st.text(max_size=6), _values)},
    optional={"inferenceId": _values, "inferenceTime": _values},
)


@st.composite
def _line(draw: st.DrawFn) -> bytes:
    """A capture line: a well-formed envelope with fuzzed parts, a deep nest, or junk bytes."""
    kind = draw(st.sampled_from(["envelope", "envelope", "envelope", "deep", "junk", "value"]))
    if kind == "deep":
        return draw(_deep).replace("[", '{"a":[', 1).replace("]", "]}", 1).encode()
    if kind == "junk":
        return draw(st.binary(max_size=40)).replace(b"\n", b"")
    if kind == "value":
        return json.dumps(draw(_values)).encode()
    capture = {"endpointInput": draw(_blocks), "endpointOutput": draw(_blocks)}
    event = {"captureData": capture, "eventMetadata": draw(_meta), "eventVersion": "0"}
    return json.dumps(event).encode()


_files = st.lists(
    st.tuples(st.lists(_line(), max_size=6), st.sampled_from([b"\n", b"\r\n", b"\r", b"\n\n"])),
    min_size=1,
    max_size=3,
)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=_files)
def test_no_capture_content_stops_a_check_and_both_paths_agree(tmp_path_factory, files) -> None:
    bodies = {f"2026/01/01/{i:02d}/c.jsonl": sep.join(lines) + b"\n" for i, (lines, sep) in enumerate(files)}
    by_lambda = lambda_path(bodies, SPEC)
    by_job = processing_path(bodies, SPEC, tmp_path_factory.mktemp("shard"))
    document = by_lambda.to_dict()
    assert document == by_job.to_dict()
    json.dumps(document, allow_nan=False)  # valid JSON, whatever came in
    assert by_lambda.lines_read == sum(len(capture_lines(body)) for body in bodies.values())
    assert by_lambda.malformed_lines <= by_lambda.lines_read
