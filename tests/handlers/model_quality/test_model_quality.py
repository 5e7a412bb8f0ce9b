"""Model quality with moto: join by inference id, metrics against independent references, breaches."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import mannwhitneyu

from tests.handlers.drift_check.capture_files import make_rows
from tests.handlers.model_quality.conftest import QualityWorld

ROWS = make_rows(400, seed=31)


def _reference(truth: np.ndarray, scores: np.ndarray) -> dict[str, float]:
    """Confusion-matrix metrics and AUC computed here, independently of the engine."""
    pred = scores >= 0.5
    tp, fp = np.sum(pred & (truth == 1)), np.sum(pred & (truth == 0))
    fn, tn = np.sum(~pred & (truth == 1)), np.sum(~pred & (truth == 0))
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    u = mannwhitneyu(scores[truth == 1], scores[truth == 0]).statistic
    return {
        "accuracy": (tp + tn) / truth.size,
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall),
        "roc_auc": u / (np.sum(truth == 1) * np.sum(truth == 0)),
    }


def test_labels_join_predictions_and_metrics_are_published(world: QualityWorld) -> None:
    # Given 400 captured predictions and labels for 300 of them (10 % flipped) plus 20 unknown ids
    rng = np.random.default_rng(1)
    scores = np.round(rng.random(400), 4)
    truth = (scores >= 0.5).astype(int)
    truth[rng.random(400) < 0.1] ^= 1
    world.put_predictions(ROWS, scores, 0, 200)
    world.put_predictions(ROWS, scores, 200, 400)
    labels: dict[str, object] = {f"inf-{i}": int(truth[i]) for i in range(300)}
    world.put_labels(labels | {f"ghost-{i}": 1 for i in range(20)})
    # When the check runs
    outcome = world.invoke()
    # Then the 300 labelled predictions are scored exactly like the reference
    assert outcome["status"] == "ok" and outcome["matched"] == 300
    expected = _reference(truth[:300], scores[:300])
    report = world.read_json(outcome["report_key"])
    for name, value in expected.items():
        assert report["metrics"][name] == pytest.approx(value, rel=1e-9), name
    assert world.quality("Accuracy") == pytest.approx((expected["accuracy"],) * 2 + (1.0,))
    assert world.quality("RocAuc")[0] == pytest.approx(expected["roc_auc"])  # type: ignore[index]
    assert world.quality("MatchedRecords") == (300.0, 300.0, 1.0)
    assert world.quality("UnmatchedLabels") == (20.0, 20.0, 1.0)
    assert world.quality("QualityBreached") == (0.0, 0.0, 1.0)
    assert world.notifications() == []
    assert world.events() == []  # no breach, no event


def test_breaches_are_published_and_notified(world: QualityWorld) -> None:
    # Given a model that scores every "pro" customer high and random labels
    rng = np.random.default_rng(2)
    scores = np.where(ROWS.plan == "pro", 0.9, 0.2)
    truth = rng.integers(0, 2, 400)
    world.put_predictions(ROWS, scores)
    world.put_labels({f"inf-{i}": int(truth[i]) for i in range(400)}, encoding="JSON")
    outcome = world.invoke()
    assert outcome["status"] == "breached"
    report = world.read_json(outcome["report_key"])
    # Selection rate per plan is 1 for "pro", 0 otherwise: the gap is exactly 1
    assert report["bias"]["plan"]["selection_rate_gap"] == 1.0
    assert world.quality("SelectionRateGap", "plan") == (1.0, 1.0, 1.0)
    assert world.quality("QualityBreached") == (1.0, 1.0, 1.0)
    breached = {(b["metric"], b.get("attribute")) for b in report["breaches"]}
    assert ("accuracy", None) in breached and ("selection_rate_gap", "plan") in breached
    (note,) = world.notifications()
    accuracy = _reference(truth, scores)["accuracy"]
    assert f"accuracy = {accuracy:.4g} (min 0.8)" in note
    assert "selection_rate_gap[plan] = 1 (max 0.25)" in note and outcome["report_key"] in note
    # And retraining pipelines hear of it: one ModelQualityBreached event naming the model and the breaches
    (event,) = world.events()
    assert event["detail-type"] == "ModelQualityBreached" and event["source"] == "mlops.orchestrator"
    assert event["detail"]["model_name"] == report["model_name"]
    assert event["detail"]["breaches"] == report["breaches"]
    assert event["detail"]["report"].endswith(outcome["report_key"])


def test_checkpoint_scores_only_new_labels(world: QualityWorld) -> None:
    scores = np.full(400, 0.9)
    world.put_predictions(ROWS, scores)
    world.put_labels({f"inf-{i}": 1 for i in range(100)})
    first = world.invoke()
    world.put_labels({f"inf-{i}": 1 for i in range(100, 160)})
    second = world.invoke()
    third = world.invoke()
    assert (first["status"], first["matched"]) == ("ok", 100)
    assert (second["status"], second["matched"]) == ("ok", 60)
    assert (third["status"], third["matched"]) == ("insufficient_data", 0)
    assert world.quality("QualityBreached") == (0.0, 0.0, 3.0)


def test_regression_metrics_match_numpy(world: QualityWorld) -> None:
    rng = np.random.default_rng(3)
    predictions = np.round(rng.normal(10, 3, 400), 3)
    actual = np.round(predictions + rng.normal(0, 1, 400), 3)
    world.put_predictions(ROWS, predictions)
    world.put_labels({f"inf-{i}": float(actual[i]) for i in range(400)})
    event = dict(world.event, problem_type="regression", thresholds={"rmse": {"max": 0.5}}, bias={})
    outcome = world.invoke(event)
    report = world.read_json(outcome["report_key"])
    error = predictions - actual
    assert report["metrics"]["rmse"] == pytest.approx(np.sqrt(np.mean(error**2)))
    assert report["metrics"]["mae"] == pytest.approx(np.mean(np.abs(error)))
    assert outcome["status"] == "breached" and world.quality("RMSE") is not None
