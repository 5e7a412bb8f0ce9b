"""What the pipeline asks Autopilot V2 for, and how long it polls."""

from __future__ import annotations

from typing import Any

import pytest

from mlops_training.automl import AUTOPILOT, automl_request, poll_plan
from mlops_training.job import AutoMLJob
from mlops_training.sagemaker_inputs import pipeline_refusals, training_image
from mlops_training.spec import TrainingSpec
from tests.unit.training.samples import BUCKET, check, minimal_spec

KEY = "arn:aws:kms:us-east-1:123456789012:key/k"


def automl_spec(metric: str = "f1", problem: str = "binary_classification", **job: Any) -> TrainingSpec:
    settings = {"kind": "automl", "problem_type": problem, "target_column": "churned", **job}
    evaluation = {"metric": metric, "threshold": 0.5, "held_out_uri": f"{BUCKET}/h.csv"}
    channels = [
        {"name": "train", "uri": f"{BUCKET}/train/"},
        {"name": "validation", "uri": f"{BUCKET}/validation/", "content_type": "application/x-parquet"},
    ]
    spec = check(minimal_spec(job=settings, evaluation=evaluation, channels=channels))
    assert isinstance(spec, TrainingSpec), spec
    return spec


def request(spec: TrainingSpec) -> dict[str, Any]:
    return automl_request(
        spec, role_arn="arn:aws:iam::123456789012:role/r", output_uri="s3://o/", key_arn=KEY
    )


def test_the_job_is_tabular_in_ensembling_mode_with_the_spec_limits() -> None:
    tabular = request(automl_spec(max_candidates=7, max_runtime_minutes=90))["AutoMLProblemTypeConfig"]
    assert tabular == {
        "TabularJobConfig": {
            "Mode": "ENSEMBLING",
            "ProblemType": "BinaryClassification",
            "TargetAttributeName": "churned",
            "CompletionCriteria": {"MaxCandidates": 7, "MaxAutoMLJobRuntimeInSeconds": 5400},
        }
    }


def test_channels_are_typed_and_csv_declares_its_header() -> None:
    channels = request(automl_spec())["AutoMLJobInputDataConfig"]
    assert [(c["ChannelType"], c["ContentType"]) for c in channels] == [
        ("training", "text/csv;header=present"),
        ("validation", "application/x-parquet"),
    ]


def test_output_and_volumes_are_encrypted_with_the_key() -> None:
    sent = request(automl_spec())
    assert sent["OutputDataConfig"]["KmsKeyId"] == KEY == sent["SecurityConfig"]["VolumeKmsKeyId"]
    assert sent["SecurityConfig"]["EnableInterContainerTrafficEncryption"] is True


@pytest.mark.parametrize(
    ("metric", "problem", "objective"),
    [("f1", "binary_classification", "F1"), ("f1_macro", "multiclass_classification", "F1macro"),
     ("rmse", "regression", "RMSE"), ("roc_auc", "binary_classification", "AUC")],
)  # fmt: skip
def test_the_objective_is_the_evaluation_metric(metric: str, problem: str, objective: str) -> None:
    assert request(automl_spec(metric, problem))["AutoMLJobObjective"] == {"MetricName": objective}


def test_a_metric_autopilot_lacks_leaves_the_objective_to_autopilot() -> None:
    assert "AutoMLJobObjective" not in request(automl_spec("roc_auc_macro", "multiclass_classification"))


def test_short_jobs_poll_every_five_minutes_until_an_hour_past_their_limit() -> None:
    plan = poll_plan(
        AutoMLJob(kind="automl", problem_type="regression", target_column="y", max_runtime_minutes=60)
    )
    assert (plan.interval_seconds, plan.max_polls) == (300, 24)


def test_long_jobs_poll_less_often_so_the_history_stays_bounded() -> None:
    month = AutoMLJob(kind="automl", problem_type="regression", target_column="y", max_runtime_minutes=43200)
    plan = poll_plan(month)
    assert plan.max_polls <= 1000 and plan.interval_seconds * plan.max_polls >= (43200 + 60) * 60


def test_the_pipeline_accepts_automl_and_records_autopilot_as_the_image() -> None:
    spec = automl_spec()
    assert pipeline_refusals(spec) == [] and training_image(spec, "us-east-1") == AUTOPILOT
