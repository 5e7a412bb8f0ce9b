"""No ground-truth or capture file can stop the model-quality check: it is reported and the check moves on."""

from __future__ import annotations

import json

import numpy as np
import pytest

from lambdas.model_quality import evaluation
from tests.handlers.drift_check.capture_files import ground_truth_body, make_rows
from tests.handlers.model_quality.conftest import QualityWorld

ROWS = make_rows(400, seed=7)


def labels_file(world: QualityWorld, body: bytes) -> str:
    """Upload a ground-truth file as it is and return its key."""
    world.files += 1
    key = f"ground-truth/{world.event['endpoint_name']}/2026/01/01/00/poison-{world.files:03d}.jsonl"
    world.s3.put_object(Bucket=world.event["ground_truth"]["bucket"], Key=key, Body=body)
    return key


def test_a_deeply_nested_label_line_is_reported_and_passed(world: QualityWorld) -> None:
    world.put_predictions(ROWS, np.full(400, 0.9))
    good = ground_truth_body({f"inf-{i}": 1 for i in range(100)})
    key = labels_file(world, b"[" * 100_000 + b"]" * 100_000 + b"\n" + good)

    first = world.invoke()
    report = world.read_json(first["report_key"])
    second = world.invoke()

    assert (first["status"], first["matched"]) == ("ok", 100)
    assert report["join"]["issues"] == [
        {"file": key, "line": 1, "reason": "ground-truth line nested too deeply"}
    ]
    assert (second["status"], second["matched"]) == ("insufficient_data", 0)  # the checkpoint moved past it


@pytest.mark.parametrize("label", ["1e999", "NaN", "-inf", "9" * 400])
def test_a_label_beyond_float_range_is_reported_not_scored(world: QualityWorld, label: str) -> None:
    predictions = np.linspace(1.0, 2.0, 400)
    world.put_predictions(ROWS, predictions)
    labels = {f"inf-{i}": round(float(predictions[i]) + 0.5, 6) for i in range(400)}
    labels["inf-0"] = label
    key = labels_file(world, ground_truth_body(labels))
    event = dict(world.event, problem_type="regression", thresholds={"rmse": {"max": 1.0}}, bias={})

    outcome = world.invoke(event)

    report = world.read_json(outcome["report_key"])
    assert report["join"]["issues"] == [{"file": key, "line": 1, "reason": "label is not a finite number"}]
    assert report["join"]["matched"] == 399
    assert report["metrics"]["rmse"] == pytest.approx(0.5)


def test_labels_near_the_float_limit_give_finite_metrics_and_valid_json(world: QualityWorld) -> None:
    predictions = np.linspace(1.0, 2.0, 400) * 1e300
    world.put_predictions(ROWS, predictions)
    world.put_labels({f"inf-{i}": float(-predictions[i]) for i in range(400)})
    event = dict(world.event, problem_type="regression", thresholds={"rmse": {"max": 1.0}}, bias={})

    outcome = world.invoke(event)

    body = world.s3.get_object(Bucket="reports-bucket", Key=outcome["report_key"])["Body"].read()
    report = json.loads(body, parse_constant=lambda name: pytest.fail(f"{name} in the report"))
    # Errors are 2x the predictions: RMSE = 2e300 * sqrt(mean(linspace(1, 2)^2)), computed independently.
    expected = 2e300 * (sum((1 + k / 399) ** 2 for k in range(400)) / 400) ** 0.5
    assert report["metrics"]["rmse"] == pytest.approx(expected, rel=1e-9)
    assert outcome["status"] == "breached" and world.quality("RMSE") is not None


def test_files_too_large_to_read_are_skipped_and_reported(
    world: QualityWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    capture = world.put_predictions(ROWS, np.full(400, 0.9))
    small = world.put_labels({f"inf-{i}": 1 for i in range(300, 400)})
    big = world.put_labels({f"inf-{i}": 1 for i in range(300)})
    bucket = world.event["ground_truth"]["bucket"]
    cap = world.s3.head_object(Bucket=bucket, Key=small)["ContentLength"]
    monkeypatch.setattr(evaluation, "MAX_FILE_BYTES", cap)

    outcome = world.invoke()

    report = world.read_json(outcome["report_key"])
    skipped = {issue["file"]: issue["reason"] for issue in report["join"]["issues"] if issue["line"] == 0}
    assert set(skipped) == {big, capture}  # the capture file is larger than the cap too
    size = world.s3.head_object(Bucket=bucket, Key=big)["ContentLength"]
    assert f"{size:,} bytes, more than the {cap:,}" in skipped[big]
    assert report["join"]["labels"] == 100  # the small file was read
    assert world.invoke()["status"] == "insufficient_data"  # the skipped files are not read again
