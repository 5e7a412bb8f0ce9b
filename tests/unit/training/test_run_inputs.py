"""Run identity (skip an unchanged run) and the cool-down/cap decision, as pure functions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mlops_training.manifest_from_run import DataInput
from mlops_training.policy import Period, TriggerLimits
from mlops_training.run_inputs import (
    PastRun,
    RunOutcome,
    TriggerKind,
    Verdict,
    prefix_digest,
    run_identity,
    trigger_decision,
    trigger_limits,
    unchanged_decision,
)
from mlops_training.spec import TrainingSpec
from tests.unit.training.samples import BUCKET, check, minimal_spec

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)
IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"
DATA = (DataInput("train", f"{BUCKET}/datasets/churn/train/", "a" * 64),)


def spec_of(**overrides: object) -> TrainingSpec:
    spec = check(minimal_spec(**overrides))
    assert isinstance(spec, TrainingSpec), spec
    return spec


def identity(spec: TrainingSpec, data: tuple[DataInput, ...] = DATA, source: str = "s" * 64) -> str:
    return run_identity(spec, data, image_uri=IMAGE, source_sha256=source)


def test_identity_is_stable_and_ignores_spelling_of_hyperparameters() -> None:
    as_number = spec_of(hyperparameters={"C": 1.5, "fit_intercept": True})
    as_text = spec_of(hyperparameters={"fit_intercept": "true", "C": "1.5"})

    assert identity(as_number) == identity(as_number) == identity(as_text)


@pytest.mark.parametrize(
    "change",
    ["data", "source", "hyperparameters", "framework_version", "tuning"],
)
def test_identity_changes_with_each_input(change: str) -> None:
    base = spec_of(hyperparameters={"C": 1})
    other, data, source = base, DATA, "s" * 64
    if change == "data":
        data = (DataInput("train", DATA[0].uri, "b" * 64),)
    elif change == "source":
        source = "t" * 64
    elif change == "hyperparameters":
        other = spec_of(hyperparameters={"C": 2})
    elif change == "framework_version":
        other = spec_of(job=minimal_spec()["job"] | {"framework_version": "1.0-1"}, hyperparameters={"C": 1})
    else:
        tuning = {
            "objective": {"metric_name": "f1", "type": "maximize"},
            "ranges": {"gamma": {"type": "categorical", "values": ["1"]}},
        }
        job = minimal_spec()["job"] | {"metric_definitions": [{"name": "f1", "regex": "f1=(.*)"}]}
        other = spec_of(job=job, tuning=tuning, hyperparameters={"C": 1})

    assert identity(other, data, source) != identity(base)


def test_prefix_digest_depends_on_the_listing_not_its_order() -> None:
    listing = [("train/a.csv", 10, '"etag-a"'), ("train/b.csv", 20, "etag-b")]

    assert prefix_digest(listing) == prefix_digest(list(reversed(listing)))
    assert prefix_digest(listing) != prefix_digest([*listing, ("train/c.csv", 1, "etag-c")])
    assert prefix_digest(listing) != prefix_digest([("train/a.csv", 10, "etag-z"), listing[1]])


def run(hours_ago: float, trigger: TriggerKind = TriggerKind.DRIFT, **kwargs: object) -> PastRun:
    outcome = kwargs.pop("outcome", RunOutcome.SUCCEEDED)
    return PastRun(trigger, NOW - timedelta(hours=hours_ago), outcome, **kwargs)  # type: ignore[arg-type]


def test_an_unchanged_run_is_skipped_only_against_the_last_success() -> None:
    runs = [
        run(48, identity="old"),
        run(24, identity="same"),
        run(1, identity="same", outcome=RunOutcome.FAILED),
    ]

    assert unchanged_decision("same", runs).verdict is Verdict.UNCHANGED
    assert unchanged_decision("new", runs).verdict is Verdict.RUN
    assert unchanged_decision("old", runs).verdict is Verdict.RUN
    assert unchanged_decision("same", []).verdict is Verdict.RUN


LIMITS = TriggerLimits(cool_down_hours=6, max_runs=2, per=Period.WEEK)


def test_no_limits_means_the_trigger_is_off() -> None:
    assert trigger_decision(None, TriggerKind.DRIFT, NOW, []).verdict is Verdict.NOT_ENABLED


def test_cool_down_counts_from_the_models_last_run_of_any_trigger() -> None:
    decision = trigger_decision(LIMITS, TriggerKind.DRIFT, NOW, [run(2, TriggerKind.SCHEDULE)])

    assert decision.verdict is Verdict.COOL_DOWN
    assert decision.retry_after == NOW + timedelta(hours=4)
    assert (
        trigger_decision(LIMITS, TriggerKind.DRIFT, NOW, [run(6, TriggerKind.SCHEDULE)]).verdict
        is Verdict.RUN
    )


def test_skipped_runs_count_for_no_brake() -> None:
    runs = [
        run(1, outcome=RunOutcome.SKIPPED),
        run(2, outcome=RunOutcome.SKIPPED),
        run(3, outcome=RunOutcome.SKIPPED),
    ]
    assert trigger_decision(LIMITS, TriggerKind.DRIFT, NOW, runs).verdict is Verdict.RUN


def test_the_cap_counts_this_triggers_runs_in_the_rolling_period() -> None:
    runs = [run(24 * 6), run(24 * 2, outcome=RunOutcome.FAILED), run(10, TriggerKind.SCHEDULE)]

    decision = trigger_decision(LIMITS, TriggerKind.DRIFT, NOW, runs)

    assert decision.verdict is Verdict.CAP_REACHED
    assert decision.retry_after == NOW + timedelta(days=1)
    assert trigger_decision(LIMITS, TriggerKind.SCHEDULE, NOW, runs).verdict is Verdict.RUN
    assert trigger_decision(LIMITS, TriggerKind.DRIFT, NOW + timedelta(days=1), runs).verdict is Verdict.RUN


def test_manual_runs_have_no_brakes() -> None:
    assert trigger_decision(None, TriggerKind.MANUAL, NOW, [run(0)]).verdict is Verdict.RUN


def test_limits_come_from_the_spec_per_trigger() -> None:
    spec = spec_of(retraining={"schedule": {"expression": "rate(7 days)", "max_runs": 1, "per": "month"}})

    limits = trigger_limits(spec, TriggerKind.SCHEDULE)

    assert limits is not None and limits.max_runs == 1 and limits.per is Period.MONTH
    assert trigger_limits(spec, TriggerKind.DRIFT) is None


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        trigger_decision(LIMITS, TriggerKind.DRIFT, datetime(2025, 1, 1), [])
