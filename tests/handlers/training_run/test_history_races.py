"""Concurrent runs of one model never lose each other's history records, and the brakes see both."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from lambdas.training_run.errors import TrainingRunError
from lambdas.training_run.history import MAX_ATTEMPTS, RunRecord, update_run
from mlops_training.run_inputs import RunOutcome, TriggerKind
from tests.handlers.training_run.conftest import NOW, REPORTS, World


class RacingS3:
    """An S3 client that lets `race` write first whenever the history is about to be written."""

    def __init__(self, s3: Any, race: Callable[[], None], times: int = 1) -> None:
        self._s3, self._race, self.times = s3, race, times

    def __getattr__(self, name: str) -> Any:
        return getattr(self._s3, name)

    def put_object(self, **kwargs: Any) -> Any:
        if kwargs["Key"].endswith("runs.json") and self.times > 0:
            self.times -= 1
            self._race()
        return self._s3.put_object(**kwargs)


def record(name: str, outcome: RunOutcome = RunOutcome.RUNNING) -> RunRecord:
    return RunRecord(run_name=name, trigger=TriggerKind.MANUAL, started_at=NOW, outcome=outcome)


def test_a_trigger_that_loses_the_race_is_held_back_by_the_run_that_won(world: World) -> None:
    racing = dataclasses.replace(world, s3=RacingS3(world.s3, lambda: world.prepare("drift")))

    late = racing.prepare("drift", now=NOW + timedelta(hours=1))

    assert late["decision"] == "skip" and late["verdict"] == "cool_down", late
    assert [r["outcome"] for r in world.history()["runs"]] == ["running", "skipped"]


def test_a_concurrent_update_of_another_run_is_kept(world: World) -> None:
    update_run(world.s3, REPORTS, "churn", lambda history: record("churn-a"))
    racing = RacingS3(world.s3, lambda: update_run(world.s3, REPORTS, "churn", lambda h: record("churn-b")))

    update_run(
        racing,
        REPORTS,
        "churn",
        lambda h: h.find("churn-a").model_copy(update={"outcome": RunOutcome.FAILED}),
    )

    outcomes = {r["run_name"]: r["outcome"] for r in world.history()["runs"]}
    assert outcomes == {"churn-a": "failed", "churn-b": "running"}


def test_a_history_that_never_settles_fails_the_step_with_its_key(world: World) -> None:
    def rival() -> None:
        update_run(world.s3, REPORTS, "churn", lambda h: record(f"churn-{len(h.runs)}"))

    racing = RacingS3(world.s3, rival, times=MAX_ATTEMPTS)

    with pytest.raises(TrainingRunError, match=rf"training/churn/runs.json changed {MAX_ATTEMPTS} times"):
        update_run(racing, REPORTS, "churn", lambda h: record("mine"))
    assert "mine" not in {r["run_name"] for r in world.history()["runs"]}


def test_a_second_run_started_in_the_same_second_is_refused_not_merged(world: World) -> None:
    first = world.prepare("manual")

    with pytest.raises(TrainingRunError, match="started in the same second as churn-260302-120000"):
        world.prepare("manual")

    assert first["runName"] == "churn-260302-120000"
    assert [r["run_name"] for r in world.history()["runs"]] == ["churn-260302-120000"]
