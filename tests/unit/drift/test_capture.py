"""Capture JSON Lines: CSV, JSON and BASE64 payloads, multi-record rows, malformed lines, ground truth."""

import base64
import json
import math

import numpy as np

from mlops_drift import Kind, ProfileSpec, join, parse_capture, parse_ground_truth
from mlops_drift.spec import FeatureSpec
from tests.unit.drift.capture_lines import capture_line as _line

SPEC = ProfileSpec(
    (
        FeatureSpec("age", Kind.NUMERIC),
        FeatureSpec("income", Kind.NUMERIC),
        FeatureSpec("color", Kind.CATEGORICAL),
    )
)


def test_csv_rows_become_typed_columns_with_predictions_and_ids():
    lines = [
        _line("34,1000.5,red", event_id="a"),
        _line("51,,blue\n22,300,", output="0.1\n0.9", event_id="b", inference_id="inf-b"),
    ]
    batch = parse_capture(lines, SPEC)
    features = batch.features
    assert features.n_rows == 3
    np.testing.assert_array_equal(features.numeric["age"], [34.0, 51.0, 22.0])
    assert math.isnan(features.numeric["income"][1])
    assert features.categorical["color"].tolist() == ["red", "blue", None]
    assert batch.predictions.tolist() == [0.5, 0.1, 0.9]
    assert batch.inference_ids.tolist() == ["a", "inf-b#0", "inf-b#1"]
    assert batch.malformed_lines == 0


def test_json_payloads_in_several_shapes():
    lines = [
        _line(
            json.dumps({"instances": [[1, 2, "x"], [3, 4, "y"]]}),
            "JSON",
            "application/json",
            json.dumps({"predictions": [{"score": 0.2}, {"score": 0.7}]}),
            "JSON",
            "application/json",
        ),
        _line(
            json.dumps({"age": 5, "income": None, "color": "z"}),
            "JSON",
            "application/json",
            "[0.3]",
            "JSON",
            "application/json",
        ),
    ]
    batch = parse_capture(lines, SPEC)
    assert batch.features.numeric["age"].tolist() == [1.0, 3.0, 5.0]
    assert math.isnan(batch.features.numeric["income"][2])
    assert batch.features.categorical["color"].tolist() == ["x", "y", "z"]
    assert batch.predictions.tolist() == [0.2, 0.7, 0.3]


def test_base64_payloads_are_decoded_by_content_type():
    csv_data = base64.b64encode(b"7,8,green").decode()
    json_data = base64.b64encode(json.dumps([[9, 10, "blue"]]).encode()).decode()
    out = base64.b64encode(b'{"predictions": [0.25]}').decode()
    lines = [
        _line(csv_data, "BASE64", "text/csv"),
        _line(json_data, "BASE64", "application/json", out, "BASE64", "application/json"),
    ]
    batch = parse_capture(lines, SPEC)
    assert batch.features.numeric["age"].tolist() == [7.0, 9.0]
    assert batch.features.categorical["color"].tolist() == ["green", "blue"]
    assert batch.predictions.tolist() == [0.5, 0.25]


def test_malformed_lines_are_counted_and_reported_not_fatal():
    lines = [
        _line("1,2,red"),
        "not json at all",
        json.dumps({"captureData": {}}),
        _line("!!notbase64!!", "BASE64"),
        _line("1,2", event_id="short"),
        "",
        _line("3,4,blue"),
    ]
    batch = parse_capture(lines, SPEC)
    assert batch.features.n_rows == 2
    assert batch.malformed_lines == 4
    assert [issue.line for issue in batch.issues] == [2, 3, 4, 5]
    assert batch.lines_read == 7


def test_issue_list_is_capped():
    batch = parse_capture(["{bad"] * 50, SPEC, max_issues=10)
    assert batch.malformed_lines == 50
    assert len(batch.issues) == 10


def test_type_mismatches_counted_in_numeric_columns():
    batch = parse_capture([_line("abc,1,red"), _line("5,2,red"), _line(",3,red")], SPEC)
    assert batch.features.type_mismatches["age"] == 1
    assert np.isnan(batch.features.numeric["age"][[0, 2]]).all()


def test_without_a_spec_columns_are_named_and_inferred():
    batch = parse_capture([_line("1,a"), _line("2,b")])
    assert set(batch.features.numeric) == {"c0"}
    assert set(batch.features.categorical) == {"c1"}


def test_ground_truth_join_by_inference_id():
    captured = parse_capture(
        [
            _line("1,2,red", output="0.9", event_id="a"),
            _line("1,2,red", output="0.2", event_id="b"),
            _line("1,2,red", output="0.6", event_id="c"),
        ],
        SPEC,
    )
    truth_lines = [
        json.dumps(
            {
                "groundTruthData": {"data": "1", "encoding": "CSV"},
                "eventMetadata": {"eventId": "a"},
                "eventVersion": "0",
            }
        ),
        json.dumps(
            {
                "groundTruthData": {"data": "0", "encoding": "CSV"},
                "eventMetadata": {"eventId": "c"},
                "eventVersion": "0",
            }
        ),
        json.dumps(
            {
                "groundTruthData": {"data": "1", "encoding": "CSV"},
                "eventMetadata": {"eventId": "zzz"},
                "eventVersion": "0",
            }
        ),
        "garbage",
    ]
    truth = parse_ground_truth(truth_lines)
    assert truth.malformed_lines == 1
    joined = join(captured.inference_ids, captured.predictions, truth.labels)
    assert joined.inference_ids.tolist() == ["a", "c"]
    assert joined.y_true.tolist() == [1.0, 0.0]
    assert joined.y_pred.tolist() == [0.9, 0.6]
    assert (joined.unmatched_predictions, joined.unmatched_labels) == (1, 1)


def test_an_infinite_cell_is_missing_not_a_mismatch_whichever_conversion_runs():
    from mlops_drift.batch import numeric_column

    # Given: the same infinite cells beside numbers only, and beside a word that forces cell-by-cell work
    whole, whole_mismatches = numeric_column(["-inf", "1", "inf"])
    mixed, mixed_mismatches = numeric_column(["-inf", "1", "inf", "null", "red"])
    # Then: infinity is NaN in both, and only the word is a type mismatch
    assert np.isnan(whole[[0, 2]]).all() and np.isnan(mixed[[0, 2, 3, 4]]).all()
    assert (whole_mismatches, mixed_mismatches) == (0, 1)
