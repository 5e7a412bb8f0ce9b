"""Rules within and between sections: tuning, AutoML, evaluation, retraining sources and serving."""

from __future__ import annotations

from typing import Any

import pytest

from mlops_training.spec import TrainingSpec
from tests.unit.training.samples import BUCKET, check, minimal_spec, problems_of

OBJECTIVE = {"metric_name": "validation:f1", "type": "maximize"}
METRICS = [{"name": "validation:f1", "regex": "f1: ([0-9.]+)"}]


def with_tuning(tuning: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    job = minimal_spec()["job"] | {"metric_definitions": METRICS}
    return minimal_spec(job=job, tuning={"objective": OBJECTIVE} | tuning, **overrides)


def test_tuning_with_an_objective_the_job_reports_is_valid() -> None:
    ranges = {"C": {"type": "continuous", "min": 0.01, "max": 10, "scaling": "logarithmic"}}
    assert isinstance(check(with_tuning({"ranges": ranges})), TrainingSpec)


def test_tuning_without_objective_is_refused() -> None:
    doc = minimal_spec(tuning={"ranges": {"C": {"type": "categorical", "values": ["1"]}}})
    assert problems_of(doc)["tuning.objective"].found == "(missing)"


def test_a_script_objective_must_be_a_defined_metric() -> None:
    doc = minimal_spec(
        tuning={"objective": OBJECTIVE, "ranges": {"C": {"type": "categorical", "values": ["1"]}}}
    )

    problem = problems_of(doc)["tuning.objective.metric_name"]

    assert problem.code == "objective_undefined" and "none defined" in problem.allowed


def test_range_problems_name_the_hyperparameter() -> None:
    ranges = {
        "C": {"type": "continuous", "min": 0, "max": 1, "scaling": "logarithmic"},
        "depth": {"type": "integer", "min": 9, "max": 3},
        "kernel": {"type": "categorical", "values": []},
        "gamma": {"max": 1},
    }
    doc = with_tuning({"ranges": ranges, "max_jobs": 2, "max_parallel_jobs": 5})

    problems = problems_of(doc)

    assert set(problems) == {
        "tuning.ranges.C.min",
        "tuning.ranges.depth.min",
        "tuning.ranges.kernel.values",
        "tuning.ranges.gamma.type",
    }
    assert "greater than 0 with logarithmic scaling" in problems["tuning.ranges.C.min"].allowed
    assert problems["tuning.ranges.gamma.type"].found == "(missing)"


def test_tuning_section_rules_once_the_ranges_are_valid() -> None:
    ranges = {"depth": {"type": "integer", "min": 3, "max": 9}}
    doc = with_tuning({"ranges": ranges, "strategy": "grid", "max_jobs": 2, "max_parallel_jobs": 5})

    problems = problems_of(doc)

    assert set(problems) == {"tuning.max_parallel_jobs", "tuning.ranges.depth.type"}
    assert "grid" in problems["tuning.ranges.depth.type"].allowed


def test_a_hyperparameter_is_either_fixed_or_searched() -> None:
    doc = with_tuning({"ranges": {"C": {"type": "categorical", "values": ["1"]}}}, hyperparameters={"C": 1})
    assert problems_of(doc)["tuning.ranges.C"].code == "range_conflict"


AUTOML = {"kind": "automl", "problem_type": "regression", "target_column": "price"}
REGRESSION = {"metric": "rmse", "threshold": 10, "held_out_uri": f"{BUCKET}/datasets/h.csv"}


def test_automl_takes_problem_type_and_target_from_the_job() -> None:
    spec = check(minimal_spec(job=AUTOML, evaluation=REGRESSION))
    assert isinstance(spec, TrainingSpec), spec


def test_automl_refuses_what_autopilot_decides_and_odd_channels() -> None:
    doc = minimal_spec(
        job=AUTOML,
        evaluation=REGRESSION | {"metric": "accuracy", "threshold": 0.9, "target_column": "cost"},
        resources={"instance_type": "ml.m5.large"},
        hyperparameters={"C": 1},
        channels=[{"name": "extra", "uri": f"{BUCKET}/datasets/x/"}],
    )

    problems = problems_of(doc)

    assert set(problems) == {
        "resources",
        "hyperparameters",
        "evaluation.target_column",
        "evaluation.metric",
        "channels[0].name",
        "channels",
    }
    assert "price as in the automl job" in problems["evaluation.target_column"].allowed
    assert "rmse" in problems["evaluation.metric"].allowed


def test_other_jobs_need_the_evaluation_problem_type_and_target() -> None:
    evaluation = {"metric": "accuracy", "threshold": 0.9, "held_out_uri": f"{BUCKET}/datasets/h.csv"}
    problems = problems_of(minimal_spec(evaluation=evaluation))
    assert {"evaluation.problem_type", "evaluation.target_column"} <= set(problems)


@pytest.mark.parametrize(
    ("evaluation", "path", "words"),
    [
        (
            {"metric": "rmse", "threshold": -1, "problem_type": "regression"},
            "evaluation.threshold",
            "never negative",
        ),
        ({"metric": "r2", "threshold": 2, "problem_type": "regression"}, "evaluation.threshold", "at most 1"),
        (
            {"metric": "mae", "threshold": 1, "direction": "maximize", "problem_type": "regression"},
            "evaluation.direction",
            "minimize",
        ),
        ({"metric": "f1_macro", "problem_type": "binary_classification"}, "evaluation.metric", "roc_auc"),
    ],
)
def test_evaluation_rules(evaluation: dict[str, Any], path: str, words: str) -> None:
    doc = minimal_spec(evaluation=minimal_spec()["evaluation"] | evaluation)
    problem = problems_of(doc)[path]
    assert words in problem.allowed


def test_the_evaluation_gate_follows_the_metric_direction() -> None:
    spec = check(
        minimal_spec(
            evaluation=minimal_spec()["evaluation"]
            | {"metric": "rmse", "threshold": 5, "problem_type": "regression"}
        )
    )
    assert isinstance(spec, TrainingSpec)
    assert spec.evaluation.passes(4.0) and spec.evaluation.passes(5.0) and not spec.evaluation.passes(5.5)
    accurate = check(minimal_spec())
    assert isinstance(accurate, TrainingSpec)
    assert accurate.evaluation.passes(0.95) and not accurate.evaluation.passes(0.5)


def test_drift_and_quality_triggers_need_their_monitoring() -> None:
    problems = problems_of(minimal_spec(retraining={"drift": {}, "quality": {"max_runs": 2}}))

    assert problems["retraining.drift"].code == "trigger_without_source"
    assert "serving.monitoring.quality" in problems["retraining.quality"].allowed


def test_negative_cool_down_and_zero_cap_are_refused() -> None:
    problems = problems_of(
        minimal_spec(
            retraining={
                "schedule": {
                    "expression": "rate(7 days)",
                    "cool_down_hours": -1,
                    "max_runs": 0,
                    "per": "year",
                }
            }
        )
    )
    assert {
        "retraining.schedule.cool_down_hours",
        "retraining.schedule.max_runs",
        "retraining.schedule.per",
    } == set(problems)


def test_serving_problems_use_the_manifest_rules_with_spec_paths() -> None:
    serving = {
        "inference": {"type": "serverless"},
        "deployment": {"strategy": "linear"},
        "monitoring": {"enabled": True},
        "tags": {"aws:team": "x"},
    }

    problems = problems_of(minimal_spec(serving=serving))

    assert problems["serving.deployment.strategy"].code == "strategy_unsupported"
    assert problems["serving.monitoring.enabled"].code == "serverless_no_capture"
    assert problems["serving.tags.aws:team"].code == "reserved_tag"


def test_monitoring_gets_the_training_data_as_its_baseline() -> None:
    spec = check(minimal_spec(serving={"monitoring": {"enabled": True}}))
    assert isinstance(spec, TrainingSpec), spec
