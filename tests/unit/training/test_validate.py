"""validate_training_spec: every problem at once, with its field path and what is allowed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlops_training.job import FrameworkScriptJob
from mlops_training.spec import TrainingSpec, hyperparameter_text
from mlops_training.validate import validate_training_spec
from tests.unit.training.samples import BUCKET, check, minimal_spec, problems_of

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "training" / "churn.json"


def test_the_example_is_valid_under_its_bucket() -> None:
    spec = validate_training_spec(EXAMPLE.read_bytes(), allowed_prefixes=["s3://ml-data-example/"])

    assert isinstance(spec, TrainingSpec), spec
    assert spec.resources is not None and spec.resources.spot is not None
    assert spec.retraining.drift is not None and spec.retraining.quality is None


def test_minimal_spec_gets_defaults() -> None:
    spec = check(minimal_spec())

    assert isinstance(spec, TrainingSpec), spec
    assert isinstance(spec.job, FrameworkScriptJob)
    assert spec.resources_or_default().instance_type == "ml.m5.xlarge"
    assert spec.champion_challenger.ask_approval_when_worse is False
    assert spec.retraining.drift is None and spec.retraining.new_data is None


def test_problems_in_every_section_are_reported_together() -> None:
    doc = minimal_spec(
        model_name="bad name",
        resources={"instance_count": 0, "spot": {"max_wait_minutes": 30}},
        tuning={"ranges": {"C": {"type": "continuous", "min": 0.1, "max": 10}}},
        evaluation=minimal_spec()["evaluation"] | {"threshold": 1.5},
        retraining={"schedule": {"expression": "every day"}},
        serving={"inference": {"type": "serverless", "memory_size_mb": 100}},
        surprise=True,
    )

    problems = problems_of(doc)

    assert set(problems) == {
        "model_name",
        "resources.instance_count",
        "resources.spot.checkpoint_uri",
        "tuning.objective",
        "evaluation.threshold",
        "retraining.schedule.expression",
        "serving.inference.memory_size_mb",
        "surprise",
    }
    assert problems["resources.spot.checkpoint_uri"].found == "(missing)"
    assert "between 0 and 1" in problems["evaluation.threshold"].allowed
    assert "rate(" in problems["retraining.schedule.expression"].allowed


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(b"{nope", "not valid JSON", id="not-json"),
        pytest.param(b"", "an empty file", id="empty"),
        pytest.param(b"[1, 2]", "a JSON array", id="array"),
        pytest.param(b"[" * 40 + b"]" * 40, "nested 40 levels deep", id="deep-nesting"),
        pytest.param(b'{"schema_version": "1", "x": 1e999}', "overflows to infinity", id="huge-float"),
        pytest.param(b'{"schema_version": "1", "x": NaN}', "JSON has no NaN", id="nan"),
        pytest.param(
            b'{"schema_version": "1", "x": ' + b"9" * 40 + b"}", "longer than 30 digits", id="huge-int"
        ),
    ],
)
def test_unreadable_documents_get_one_clear_problem(raw: bytes, expected: str) -> None:
    problems = validate_training_spec(raw)

    assert isinstance(problems, list) and len(problems) == 1
    assert expected in problems[0].found


def test_an_oversized_document_is_called_a_training_spec() -> None:
    problems = validate_training_spec(b" " * 10, size=2 * 2**20)

    assert isinstance(problems, list)
    assert problems[0].code == "too_large" and "a training spec of" in problems[0].found


@pytest.mark.parametrize(("version", "found"), [("2", "'2'"), (1, "1"), (None, "null")])
def test_a_wrong_schema_version_is_the_only_problem_reported(version: object, found: str) -> None:
    problems = problems_of(minimal_spec(schema_version=version, model_name="bad name"))

    assert list(problems) == ["schema_version"]
    assert problems["schema_version"].found == found
    assert "'1'" in problems["schema_version"].allowed


def test_a_missing_schema_version_is_named() -> None:
    doc = minimal_spec()
    del doc["schema_version"]
    assert problems_of(doc)["schema_version"].found == "(missing)"


def test_huge_and_negative_counts_are_out_of_range() -> None:
    doc = minimal_spec(resources={"instance_count": -3, "volume_size_gb": 10**20, "max_runtime_minutes": 0})

    problems = problems_of(doc)

    assert set(problems) == {
        "resources.instance_count",
        "resources.volume_size_gb",
        "resources.max_runtime_minutes",
    }
    assert problems["resources.instance_count"].found == "-3"


def test_spot_must_wait_at_least_the_maximum_runtime() -> None:
    spot = {"max_wait_minutes": 60, "checkpoint_uri": f"{BUCKET}/checkpoints/churn/"}
    doc = minimal_spec(resources={"max_runtime_minutes": 120, "spot": spot})

    problem = problems_of(doc)["resources.spot.max_wait_minutes"]

    assert problem.found == "60" and "at least max_runtime_minutes (120)" in problem.allowed
    spot_ok = spot | {"max_wait_minutes": 120}
    assert isinstance(
        check(minimal_spec(resources={"max_runtime_minutes": 120, "spot": spot_ok})), TrainingSpec
    )


def test_an_unknown_training_instance_type_suggests_real_ones() -> None:
    problem = problems_of(minimal_spec(resources={"instance_type": "ml.m5.hyuge"}))["resources.instance_type"]
    assert problem.code == "unknown_instance_type" and "ml.m5." in problem.allowed


@pytest.mark.parametrize(
    ("uri", "code"),
    [
        pytest.param(f"{BUCKET}/datasets/../secrets/", "s3_segments", id="dot-dot"),
        pytest.param(f"{BUCKET}/datasets/./x/", "s3_segments", id="dot"),
        pytest.param(f"{BUCKET}/datasets//x/", "s3_segments", id="empty-segment"),
        pytest.param("s3://other-bucket/datasets/x/", "s3_prefix", id="other-bucket"),
        pytest.param(f"{BUCKET}/datasets-evil/x/", "s3_prefix", id="prefix-lookalike"),
        pytest.param("https://example.com/x", "string_pattern_mismatch", id="not-s3"),
    ],
)
def test_channel_locations_outside_the_allowed_prefixes_are_refused(uri: str, code: str) -> None:
    doc = minimal_spec(channels=[{"name": "train", "uri": uri}])

    problem = problems_of(doc, f"{BUCKET}/datasets", f"{BUCKET}/code/")["channels[0].uri"]

    assert problem.code == code


def test_every_location_is_checked_against_the_prefixes() -> None:
    doc = minimal_spec(
        resources={"spot": {"max_wait_minutes": 2000, "checkpoint_uri": "s3://elsewhere/ck/"}},
        retraining={"new_data": {"prefix": "s3://elsewhere/new/"}},
    )
    doc["job"]["source_uri"] = "s3://elsewhere/code.tar.gz"
    doc["evaluation"]["held_out_uri"] = "s3://elsewhere/held-out.csv"

    problems = problems_of(doc, f"{BUCKET}/")

    assert {path for path, p in problems.items() if p.code == "s3_prefix"} == {
        "job.source_uri",
        "resources.spot.checkpoint_uri",
        "evaluation.held_out_uri",
        "retraining.new_data.prefix",
    }
    assert f"{BUCKET}/" in problems["job.source_uri"].allowed


def test_without_prefixes_only_the_shape_of_locations_is_checked() -> None:
    assert isinstance(
        check(minimal_spec(channels=[{"name": "train", "uri": "s3://any-bucket/x/"}])), TrainingSpec
    )


def test_a_new_data_prefix_must_end_with_a_slash() -> None:
    problem = problems_of(minimal_spec(retraining={"new_data": {"prefix": f"{BUCKET}/new"}}))
    assert "ending in '/'" in problem["retraining.new_data.prefix"].allowed


def test_job_kind_problems_name_the_kind_field_and_its_values() -> None:
    problems = problems_of(minimal_spec(job={"kind": "notebook"}))

    assert problems["job.kind"].found == "'notebook'"
    assert problems["job.kind"].allowed == "one of automl, builtin_algorithm, custom_image, framework_script"


def test_job_field_paths_leave_out_the_kind() -> None:
    job = minimal_spec()["job"] | {"entry_point": "run.sh", "framework_version": "0.1"}

    problems = problems_of(minimal_spec(job=job))

    assert set(problems) == {"job.entry_point"}
    assert "Python file name" in problems["job.entry_point"].allowed


def test_a_framework_version_the_registry_cannot_serve_is_refused() -> None:
    job = minimal_spec()["job"] | {"framework_version": "0.1"}
    problem = problems_of(minimal_spec(job=job))["job.framework_version"]
    assert "1.2-1" in problem.allowed


def test_builtin_xgboost_needs_a_version() -> None:
    problems = problems_of(minimal_spec(job={"kind": "builtin_algorithm", "algorithm": "xgboost"}))
    assert problems["job.version"].found == "(missing)" and "1.7-1" in problems["job.version"].allowed


def test_hyperparameters_are_sent_as_text() -> None:
    spec = check(minimal_spec(hyperparameters={"C": 0.5, "max_iter": 100, "fit_intercept": False}))

    assert isinstance(spec, TrainingSpec)
    assert {k: hyperparameter_text(v) for k, v in spec.hyperparameters.items()} == {
        "C": "0.5",
        "max_iter": "100",
        "fit_intercept": "false",
    }


def test_script_mode_hyperparameters_are_reserved() -> None:
    problem = problems_of(minimal_spec(hyperparameters={"sagemaker_program": "x.py"}))
    assert problem["hyperparameters.sagemaker_program"].code == "reserved_hyperparameter"


def test_duplicate_channels_are_named_each_time() -> None:
    channel = {"name": "train", "uri": f"{BUCKET}/datasets/churn/train/"}
    problems = problems_of(minimal_spec(channels=[channel, channel]))
    assert {p for p in problems if p.startswith("channels")} == {"channels[0].name", "channels[1].name"}


def test_unknown_fields_are_refused_at_every_level() -> None:
    doc = minimal_spec(extra=1, resources={"gpu": True})
    doc["evaluation"]["note"] = "x"
    assert {"extra", "resources.gpu", "evaluation.note"} <= set(problems_of(doc))


def test_duplicate_keys_are_refused() -> None:
    raw = json.dumps(minimal_spec())[:-1] + ', "model_name": "other"}'
    problems = validate_training_spec(raw.encode())
    assert isinstance(problems, list) and problems[0].code == "duplicate_key"


@pytest.mark.parametrize(
    ("channel", "held_out"),
    [
        (f"{BUCKET}/datasets/churn/train/", f"{BUCKET}/datasets/churn/train/held-out.csv"),
        # SageMaker reads every key that starts with a channel's URI, slash or not.
        (f"{BUCKET}/datasets/churn/train", f"{BUCKET}/datasets/churn/train-held-out.csv"),
        (f"{BUCKET}/datasets/churn/train/part-1.csv", f"{BUCKET}/datasets/churn/train/"),
    ],
)
def test_held_out_data_inside_a_training_channel_is_refused(channel: str, held_out: str) -> None:
    doc = minimal_spec(channels=[{"name": "train", "uri": channel}])
    doc["evaluation"]["held_out_uri"] = held_out

    problem = problems_of(doc)["evaluation.held_out_uri"]

    assert problem.code == "held_out_in_channel"
    assert "channel 'train'" in problem.allowed and "score training rows" in problem.allowed


def test_held_out_data_beside_the_channel_is_fine() -> None:
    doc = minimal_spec(channels=[{"name": "train", "uri": f"{BUCKET}/datasets/churn/train/"}])
    doc["evaluation"]["held_out_uri"] = f"{BUCKET}/datasets/churn/held-out/rows.csv"

    assert isinstance(check(doc), TrainingSpec)
