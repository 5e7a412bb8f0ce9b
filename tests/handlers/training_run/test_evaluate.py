"""Evaluate: the spec's metric on the transform's predictions, the threshold and the champion."""

from __future__ import annotations

import json
from typing import Any

import pytest

from lambdas.training_run.errors import TrainingRunError
from tests.handlers.training_run.conftest import DATA, REPORTS, World

# Held-out labels are 1, 0, 1, 0 (conftest.HELD_OUT).
ALL_RIGHT = b"0.9\n0.1\n0.8\n0.2\n"
THREE_RIGHT = b"0.9\n0.1\n0.8\n0.7\n"


def _evaluate(world: World, predictions: bytes) -> tuple[dict[str, Any], dict[str, Any]]:
    """Prepare a run, write the transform's output, evaluate; (run, evaluation)."""
    run = world.prepare()
    key = run["evaluationOutputUri"].removeprefix(f"s3://{REPORTS}/") + "features.csv.out"
    world.put(REPORTS, key, predictions)
    return run, world.step({"action": "evaluate", "run": run})


def _champion(world: World, score: float, held_out_sha256: str | None) -> None:
    """Record an earlier published run scored on the given held-out data."""
    record = {
        "run_name": "churn-260101-000000",
        "trigger": "manual",
        "started_at": "2026-01-01T00:00:00+00:00",
        "outcome": "succeeded",
        "metric": "accuracy",
        "score": score,
        "held_out_sha256": held_out_sha256,
    }
    document = {"schema_version": "1", "model_name": "churn", "runs": [record]}
    world.put(REPORTS, "training/churn/runs.json", json.dumps(document).encode())


def test_a_model_that_reaches_the_threshold_proceeds_with_its_score(world: World) -> None:
    _, result = _evaluate(world, ALL_RIGHT)
    assert result["proceed"] is True
    assert result["score"] == 1.0 and result["comparison"]["verdict"] == "no_champion"


def test_a_model_below_the_threshold_stops_and_is_recorded(world: World) -> None:
    _, result = _evaluate(world, THREE_RIGHT)  # accuracy 0.75 < 0.9
    assert result["proceed"] is False and "does not reach the threshold 0.9" in result["reason"]
    assert world.history()["runs"][-1]["outcome"] == "below_threshold"


def test_a_worse_challenger_stops_unless_the_spec_asks_for_approval(world: World) -> None:
    world.spec["evaluation"]["threshold"] = 0.5
    digest = _sha256(world.read(DATA, "datasets/churn/held-out.csv"))
    _champion(world, 0.95, digest)
    _, result = _evaluate(world, THREE_RIGHT)
    assert result["proceed"] is False and result["comparison"]["verdict"] == "worse"
    assert "worse than the champion churn-260101-000000 (0.9500)" in result["reason"]


def test_a_worse_challenger_asks_for_approval_when_the_spec_says_so(world: World) -> None:
    world.spec["evaluation"]["threshold"] = 0.5
    world.spec["champion_challenger"] = {"ask_approval_when_worse": True}
    _champion(world, 0.95, _sha256(world.read(DATA, "datasets/churn/held-out.csv")))
    _, result = _evaluate(world, THREE_RIGHT)
    assert result["proceed"] is True and result["comparison"]["verdict"] == "worse"


def test_a_champion_scored_on_other_held_out_data_is_not_compared(world: World) -> None:
    _champion(world, 0.99, "0" * 64)
    _, result = _evaluate(world, ALL_RIGHT)
    assert result["comparison"]["verdict"] == "not_comparable" and result["proceed"] is True


def test_nan_predictions_stop_the_evaluation_naming_the_row(world: World) -> None:
    with pytest.raises(TrainingRunError, match="prediction of row 2 is 'nan', not a finite number"):
        _evaluate(world, b"0.9\nnan\n0.8\n0.2\n")


def test_fewer_predictions_than_rows_stop_the_evaluation(world: World) -> None:
    with pytest.raises(TrainingRunError, match="returned 3 predictions for 4 rows"):
        _evaluate(world, b"0.9\n0.1\n0.8\n")


def test_held_out_data_changed_during_training_stops_the_evaluation(world: World) -> None:
    run = world.prepare()
    world.put(DATA, "datasets/churn/held-out.csv", b"age,churned\n30,1\n")
    with pytest.raises(TrainingRunError, match="changed while the run was training"):
        world.step({"action": "evaluate", "run": run})


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()
