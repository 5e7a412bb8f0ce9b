"""End to end, locally: the production endpoint answers like the model, and drift is (not) detected."""

import tarfile
from typing import Any

import joblib
import numpy as np
import pytest

from mlops_local.demo import DEMO_THRESHOLDS, drift_input
from mlops_local.demo_model import normal_rows, shifted_rows
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
    assert outcome["status"] == "ok"
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
    with tarfile.open(pushed.model.artifact) as archive:
        archive.extract("model.joblib", tmp_path, filter="data")
    model = joblib.load(tmp_path / "model.joblib")
    rows = normal_rows(50, seed=7)
    answers = send_rows(local.aws.client("sagemaker-runtime"), "e2e-predict-production", rows).predictions
    np.testing.assert_allclose(answers, model.predict_proba(np.asarray(rows))[:, 1], rtol=1e-9)
