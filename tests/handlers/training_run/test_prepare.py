"""Prepare: the brakes, the unchanged rule, the run's layout, and bad inputs stopped before any job."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from lambdas.training_run.errors import TrainingRunError
from tests.handlers.training_run.conftest import DATA, NOW, REPORTS, World


def test_a_manual_run_is_laid_out_with_digests_and_script_mode_hyperparameters(world: World) -> None:
    run = world.prepare()
    assert run["decision"] == "run"
    assert run["runName"] == "churn-260302-120000"
    assert run["imageUri"].endswith("/sagemaker-scikit-learn:1.2-1-cpu-py3")
    assert [d["channel"] for d in run["data"]] == ["train"]
    assert run["hyperparameters"]["sagemaker_program"] == "train.py"
    assert run["sourceSha256"] is not None
    assert world.history()["runs"][0]["outcome"] == "running"


def test_the_transform_reads_the_held_out_features_without_target_or_header(world: World) -> None:
    run = world.prepare()
    key = run["evaluationInputUri"].removeprefix(f"s3://{REPORTS}/") + "features.csv"
    assert world.read(REPORTS, key) == b"30\n40\n50\n60\n"


def test_a_run_whose_inputs_equal_the_last_successful_run_is_skipped(world: World) -> None:
    first = world.prepare()
    history = world.history()
    history["runs"][0]["outcome"] = "succeeded"
    world.put(REPORTS, "training/churn/runs.json", json.dumps(history).encode())
    again = world.prepare(now=NOW + timedelta(days=2))
    assert again["decision"] == "skip" and again["verdict"] == "unchanged", again
    assert [r["outcome"] for r in world.history()["runs"]] == ["succeeded", "skipped"]
    assert first["runName"] != again["runName"]


def test_new_data_in_a_channel_changes_the_identity_and_runs(world: World) -> None:
    world.prepare()
    history = world.history()
    history["runs"][0]["outcome"] = "succeeded"
    world.put(REPORTS, "training/churn/runs.json", json.dumps(history).encode())
    world.put(DATA, "datasets/churn/train/part-2.csv", b"age,churned\n70,1\n")
    assert world.prepare(now=NOW + timedelta(days=2))["decision"] == "run"


def test_a_drift_trigger_within_the_cool_down_is_skipped_with_the_reason(world: World) -> None:
    world.prepare("drift")
    again = world.prepare("drift", now=NOW + timedelta(hours=3))
    assert again["verdict"] == "cool_down"
    assert "cool-down" in again["reason"] and again["retryAfter"] == (NOW + timedelta(hours=24)).isoformat()


def test_a_trigger_the_spec_does_not_enable_starts_nothing(world: World) -> None:
    skipped = world.prepare("schedule")
    assert skipped["verdict"] == "not_enabled"


def test_an_empty_channel_prefix_stops_the_run_naming_the_channel(world: World) -> None:
    world.s3.delete_object(Bucket=DATA, Key="datasets/churn/train/part-1.csv")
    world.put(DATA, "datasets/churn/train/empty.csv", b"")
    with pytest.raises(
        TrainingRunError, match=r"channel train: no data under s3://ml-data/datasets/churn/train/"
    ):
        world.prepare()


def test_a_missing_channel_bucket_stops_the_run(world: World) -> None:
    world.spec["channels"] = [{"name": "train", "uri": "s3://no-such-bucket/train/"}]
    with pytest.raises(TrainingRunError, match=r"cannot list s3://no-such-bucket/train/ .NoSuchBucket"):
        world.prepare()


def test_held_out_data_without_the_target_column_stops_before_any_job(world: World) -> None:
    world.put(DATA, "datasets/churn/held-out.csv", b"age,label\n30,1\n")
    with pytest.raises(TrainingRunError, match=r"no target column 'churned' in the header .age, label."):
        world.prepare()
    assert "training/churn/runs.json" not in world.keys(REPORTS)


def test_a_tampered_history_stops_the_run_instead_of_ignoring_the_brakes(world: World) -> None:
    world.prepare("drift")
    history = world.history()
    history["runs"][0]["started_at"] = "2026-03-02T12:00:00"  # time zone removed: cool-down unknowable
    world.put(REPORTS, "training/churn/runs.json", json.dumps(history).encode())
    with pytest.raises(TrainingRunError, match=r"not a valid run history .* runs.0.started_at"):
        world.prepare("drift", now=NOW + timedelta(hours=1))


def test_a_history_that_is_not_json_stops_the_run(world: World) -> None:
    world.put(REPORTS, "training/churn/runs.json", b"{not json")
    with pytest.raises(TrainingRunError, match=r"runs.json is not JSON"):
        world.prepare()


def test_an_unknown_trigger_is_refused_with_the_allowed_ones(world: World) -> None:
    with pytest.raises(TrainingRunError, match=r"input.trigger: found 'cron'; allowed: one of drift"):
        world.prepare("cron")
