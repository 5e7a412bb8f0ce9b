"""The blueprint's schedule input: quality settings read from the model's manifest in the registry."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest
from scipy.stats import mannwhitneyu

from lambdas.model_quality.manifest_input import parse_schedule
from lambdas.model_quality.request import BadRequestError
from tests.handlers.drift_check.capture_files import capture_line, make_rows
from tests.handlers.drift_check.conftest import EVENTS_DIR
from tests.handlers.model_quality.conftest import QualityWorld
from tests.manifest_samples import minimal_manifest

ROWS = make_rows(400, seed=41)
FEATURES = [
    {"name": "tenure", "type": "numeric"},
    {"name": "spend", "type": "numeric"},
    {"name": "plan", "type": "categorical"},
]


def manifest(quality: dict[str, Any] | None, **monitoring: Any) -> dict[str, Any]:
    """A registered manifest of model churn v1 with the given quality section."""
    section = monitoring | ({"quality": quality} if quality is not None else {})
    return minimal_manifest(monitoring=section)


@pytest.fixture
def registry(world: QualityWorld) -> QualityWorld:
    """The world with the blueprint's input: the manifest named in the registry bucket."""
    world.event = json.loads((EVENTS_DIR / "quality_manifest_schedule.json").read_text())
    return world


def put_manifest(world: QualityWorld, document: dict[str, Any]) -> None:
    source = world.event["manifest"]
    world.s3.put_object(Bucket=source["bucket"], Key=source["key"], Body=json.dumps(document).encode())


def confusion(truth: np.ndarray, predicted: np.ndarray) -> tuple[int, int, int, int]:
    """(tp, fp, fn, tn), counted here independently of the engine."""
    return (
        int(np.sum(predicted & (truth == 1))),
        int(np.sum(predicted & (truth == 0))),
        int(np.sum(~predicted & (truth == 1))),
        int(np.sum(~predicted & (truth == 0))),
    )


def test_manifest_thresholds_bias_and_probability_threshold_are_applied(registry: QualityWorld) -> None:
    # Given a manifest with features, a 0.3 probability threshold, accuracy and bias limits, no baseline
    quality = {
        "problem_type": "binary_classification",
        "thresholds": {"accuracy": {"min": 0.95}, "recall": {"min": 0.5}},
        "bias_attributes": ["plan"],
        "bias_thresholds": {"selection_rate_gap": {"max": 0.25}},
        "probability_threshold": 0.3,
        "min_records": 100,
    }
    put_manifest(registry, manifest(quality, features=FEATURES))
    registry.event["baseline"]["key"] = "none"
    scores = np.where(ROWS.plan == "pro", 0.9, np.where(ROWS.plan == "plus", 0.35, 0.1))
    truth = np.random.default_rng(5).integers(0, 2, 400)
    registry.put_predictions(ROWS, scores)
    registry.put_labels({f"inf-{i}": int(truth[i]) for i in range(400)})
    # When the scheduled check runs
    outcome = registry.invoke()
    # Then "plus" (0.35) counts as positive at 0.3: selection rates 1, 1, 0 by plan, so the gap is 1
    tp, _, fn, tn = confusion(truth, scores >= 0.3)
    report = registry.read_json(outcome["report_key"])
    assert outcome["status"] == "breached" and outcome["matched"] == 400
    assert report["metrics"]["accuracy"] == pytest.approx((tp + tn) / 400)
    assert report["metrics"]["recall"] == pytest.approx(tp / (tp + fn))
    assert report["bias"]["plan"]["selection_rate_gap"] == 1.0
    assert {(b["metric"], b.get("attribute")) for b in report["breaches"]} == {
        ("accuracy", None),
        ("selection_rate_gap", "plan"),
    }
    assert report["thresholds"] == {
        "accuracy": {"min": 0.95, "max": None},
        "recall": {"min": 0.5, "max": None},
    }
    assert registry.quality("Accuracy") == pytest.approx(((tp + tn) / 400,) * 2 + (1.0,))
    assert registry.quality("SelectionRateGap", "plan") == (1.0, 1.0, 1.0)
    (note,) = registry.notifications()
    assert f"accuracy = {(tp + tn) / 400:.4g} (min 0.95)" in note and "selection_rate_gap[plan] = 1" in note


def test_bias_columns_are_named_by_the_baseline_when_features_are_not_declared(
    registry: QualityWorld,
) -> None:
    quality = {"problem_type": "binary_classification", "bias_attributes": ["plan"], "min_records": 10}
    document = manifest(quality, enabled=True, baseline_dataset_key="datasets/b.csv", header_row=True)
    put_manifest(registry, document)
    registry.put_baseline(ROWS)
    registry.put_predictions(ROWS, np.where(ROWS.plan == "basic", 0.8, 0.2))
    registry.put_labels({f"inf-{i}": 1 for i in range(100)})

    report = registry.read_json(registry.invoke()["report_key"])

    assert set(report["bias"]["plan"]["segments"]) == set(ROWS.plan[:100])
    assert report["bias"]["plan"]["selection_rate_gap"] == 1.0


def test_min_records_comes_from_the_manifest(registry: QualityWorld) -> None:
    put_manifest(registry, manifest({"problem_type": "regression", "min_records": 500}))
    del registry.event["baseline"]  # the older blueprint shape: no baseline key at all
    registry.put_predictions(ROWS, np.full(400, 2.0))
    registry.put_labels({f"inf-{i}": 1.0 for i in range(400)})

    outcome = registry.invoke()

    assert (outcome["status"], outcome["matched"]) == ("insufficient_data", 400)
    assert registry.quality("RMSE") is None


def test_baseline_key_none_means_no_baseline(registry: QualityWorld) -> None:
    # The object "none" does not exist: reading it for column names would fail the check.
    put_manifest(registry, manifest({"problem_type": "regression", "min_records": 10}))
    registry.event["baseline"]["key"] = "none"
    registry.put_predictions(ROWS, np.full(400, 2.0))
    registry.put_labels({f"inf-{i}": 3.0 for i in range(50)})

    outcome = registry.invoke()

    assert parse_schedule(registry.event).baseline is None
    assert outcome["status"] == "ok"
    assert registry.read_json(outcome["report_key"])["metrics"]["mae"] == pytest.approx(1.0)


def test_manifest_without_quality_is_not_configured(registry: QualityWorld) -> None:
    put_manifest(registry, manifest(None))
    registry.put_predictions(ROWS, np.full(400, 0.9))
    registry.put_labels({f"inf-{i}": 1 for i in range(100)})

    outcome = registry.invoke()

    assert outcome == {"status": "not_configured", "matched": 0, "report_key": None}
    assert registry.keys("quality/") == []  # no report, no checkpoint
    assert registry.quality("QualityBreached") is None and registry.quality("MatchedRecords") is None
    assert registry.notifications() == []


def test_missing_manifest_is_an_error_naming_it(registry: QualityWorld) -> None:
    with pytest.raises(
        BadRequestError, match=r"manifest s3://registry-bucket/models/churn/v1/manifest\.json"
    ):
        registry.invoke()


def test_invalid_manifest_lists_every_problem(registry: QualityWorld) -> None:
    document = manifest(
        {"problem_type": "regression", "thresholds": {"f1": {"min": 0.5}}, "lookback_hours": 0}
    )
    document["data_capture"] = {"enabled": False}
    put_manifest(registry, document)

    with pytest.raises(BadRequestError) as raised:
        registry.invoke()

    message = str(raised.value)
    assert "models/churn/v1/manifest.json is invalid" in message
    assert "monitoring.quality.lookback_hours" in message


def test_invalid_cross_field_manifest_lists_every_problem(registry: QualityWorld) -> None:
    document = manifest({"problem_type": "regression", "thresholds": {"f1": {"min": 0.5}}})
    document["data_capture"] = {"enabled": False}
    put_manifest(registry, document)

    with pytest.raises(BadRequestError) as raised:
        registry.invoke()

    assert "data_capture.enabled" in str(raised.value)
    assert "monitoring.quality.thresholds.f1" in str(raised.value)


def test_schedule_input_problems_are_listed(registry: QualityWorld) -> None:
    event = dict(registry.event, endpoint_name="bad name!", capture={})

    with pytest.raises(BadRequestError) as raised:
        registry.invoke(event)

    assert "endpoint_name" in str(raised.value) and "capture.bucket" in str(raised.value)


def test_multiclass_score_vectors_give_macro_roc_auc(registry: QualityWorld) -> None:
    # Given score vectors over classes a, b, c (one column each) and labels
    classes = ["a", "b", "c"]
    quality = {"problem_type": "multiclass_classification", "classes": classes, "min_records": 10}
    put_manifest(registry, manifest(quality, features=FEATURES))
    rng = np.random.default_rng(9)
    scores = np.round(rng.dirichlet((1, 1, 1), 200), 4)
    truth = np.array(classes)[np.where(rng.random(200) < 0.7, scores.argmax(axis=1), rng.integers(0, 3, 200))]
    now = datetime.now(UTC)
    lines = [capture_line(ROWS.csv(i), ",".join(map(str, scores[i])), now, f"inf-{i}") for i in range(200)]  # type: ignore[arg-type]
    registry.put_capture(("\n".join(lines) + "\n").encode())
    registry.put_labels({f"inf-{i}": str(truth[i]) for i in range(200)})

    report = registry.read_json(registry.invoke()["report_key"])

    # Then macro AUC is the mean one-vs-rest Mann-Whitney AUC, and accuracy follows the argmax
    aucs = [
        mannwhitneyu(scores[truth == c, k], scores[truth != c, k]).statistic
        / (np.sum(truth == c) * np.sum(truth != c))
        for k, c in enumerate(classes)
    ]
    assert report["metrics"]["roc_auc_macro"] == pytest.approx(np.mean(aucs))
    assert report["metrics"]["accuracy"] == pytest.approx(
        np.mean(np.array(classes)[scores.argmax(axis=1)] == truth)
    )
