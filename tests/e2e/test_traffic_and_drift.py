"""End to end, locally: the production endpoint answers like the model, and drift is (not) detected."""

import tarfile
from typing import Any

import joblib
import numpy as np
import pytest

from mlops_local.demo import DEMO_THRESHOLDS, drift_input
from mlops_local.demo_model import normal_labels, normal_rows, shifted_rows
from mlops_local.demo_quality import check_quality, label_traffic
from mlops_local.traffic import send_rows

# moto's CloudFormation warns for each resource type it skips (alarms, schedules): expected here.
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:Tried to parse:UserWarning")]

ROWS = 1000


def _with_demo_thresholds(manifest):
    manifest["monitoring"]["thresholds"] = DEMO_THRESHOLDS


def _deployed(push, name) -> tuple[Any, Any]:
    pushed = push(name, _with_demo_thresholds)
    (execution,) = pushed.executions
    assert execution.status == "Succeeded", execution.actions[-1].message
    return pushed, execution


def _check(local, execution, rows) -> dict[str, Any]:
    endpoint = f"{execution.variables['ModelName']}-production"
    send_rows(local.aws.client("sagemaker-runtime"), endpoint, rows, batch_size=50)
    outcome: dict[str, Any] = local.drift_check(drift_input(local, execution, endpoint))
    return outcome


def test_normal_traffic_shows_no_drift(local, push):
    _, execution = _deployed(push, "e2e-steady")
    outcome = _check(local, execution, normal_rows(ROWS))
    assert outcome["status"] == "ok", outcome
    assert outcome["records"] >= ROWS


def test_shifted_traffic_is_detected_and_notified(local, push):
    _, execution = _deployed(push, "e2e-drift")
    local.notifications()  # drop earlier messages
    outcome = _check(local, execution, shifted_rows(ROWS, seed=2))
    assert outcome["status"] == "drift"
    subjects = [subject for subject, _ in local.notifications()]
    assert "Drift detected: e2e-drift-production" in subjects


def test_emulator_answers_the_models_own_predictions(local, push, tmp_path):
    pushed, _ = _deployed(push, "e2e-predict")
    model = _model(pushed, tmp_path)
    rows = normal_rows(50, seed=7)
    answers = send_rows(local.aws.client("sagemaker-runtime"), "e2e-predict-production", rows).predictions
    np.testing.assert_allclose(answers, model.predict_proba(np.asarray(rows))[:, 1], rtol=1e-9)


def _model(pushed, tmp_path):
    with tarfile.open(pushed.model.artifact) as archive:
        archive.extract("model.joblib", tmp_path, filter="data")
    return joblib.load(tmp_path / "model.joblib")


def test_labels_for_captured_traffic_give_the_models_own_accuracy(local, push, tmp_path):
    # Given traffic (requests of 7 rows, so records carry "<id>#<i>" ids) and, later, its true labels
    pushed, _ = _deployed(push, "e2e-quality")
    endpoint, rows, labels = "e2e-quality-production", normal_rows(300, seed=3), normal_labels(300, seed=3)
    sent = send_rows(local.aws.client("sagemaker-runtime"), endpoint, rows, batch_size=7)
    label_traffic(local, endpoint, sent, labels, 7)
    # When the model-quality check runs
    outcome, report = check_quality(local, endpoint)
    # Then every record was joined, and the metrics equal the model's own on those rows
    scores = _model(pushed, tmp_path).predict_proba(np.asarray(rows))[:, 1]
    assert outcome["matched"] == 300 and report["join"]["unmatched_labels"] == 0
    assert report["metrics"]["accuracy"] == pytest.approx(np.mean((scores >= 0.5) == np.asarray(labels)))
    assert outcome["status"] == "ok", outcome


def test_wrong_labels_breach_the_quality_thresholds_and_notify(local, push):
    _deployed(push, "e2e-quality-bad")
    endpoint, rows = "e2e-quality-bad-production", normal_rows(200, seed=4)
    sent = send_rows(local.aws.client("sagemaker-runtime"), endpoint, rows, batch_size=1)
    local.notifications()  # drop earlier messages
    label_traffic(local, endpoint, sent, [1 - y for y in normal_labels(200, seed=4)], 1)

    outcome, report = check_quality(local, endpoint)

    assert outcome["status"] == "breached"
    assert {b["metric"] for b in report["breaches"]} >= {"accuracy", "roc_auc"}
    assert f"Model quality breached: {endpoint}" in [subject for subject, _ in local.notifications()]
