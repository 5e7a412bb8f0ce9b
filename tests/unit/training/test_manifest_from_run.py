"""A finished run becomes a manifest the register function accepts, with the run's lineage."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from mlops_manifest import Manifest
from mlops_manifest.validate import validate_manifest
from mlops_training.manifest_from_run import DataInput, TrainingRun, baseline_key, manifest_document
from mlops_training.spec import TrainingSpec
from tests.unit.training.samples import BUCKET, check, minimal_spec

SHA = "1" * 64
CUSTOM_IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/churn-trainer:7"
RUN = TrainingRun(
    job_name="churn-20250601-1200",
    artifact_uri=f"{BUCKET}/training/churn/churn-20250601-1200/output/model.tar.gz",
    artifact_sha256=SHA,
    artifact_size=2048,
    image_uri="683313688378.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3",
    hyperparameters={"C": "0.5"},
    data=(DataInput("train", f"{BUCKET}/datasets/churn/train/", "2" * 64),),
    metrics={"accuracy": 0.94, "f1": 0.91},
    execution_arn="arn:aws:states:eu-west-1:123456789012:execution:train-churn:run-7",
    source_uri=f"{BUCKET}/code/churn/source.tar.gz",
    source_sha256="3" * 64,
    run_identity="4" * 64,
)


def registered(spec_doc: dict[str, Any], run: TrainingRun = RUN, **kwargs: Any) -> Manifest:
    spec = check(spec_doc)
    assert isinstance(spec, TrainingSpec), spec
    manifest = validate_manifest(json.dumps(manifest_document(spec, run, **kwargs)).encode())
    assert isinstance(manifest, Manifest), manifest
    return manifest


def test_a_script_run_registers_with_its_framework_and_lineage() -> None:
    manifest = registered(minimal_spec())

    assert (manifest.model_name, manifest.version) == ("churn", "churn-20250601-1200")
    assert manifest.artifact.sha256 == SHA and manifest.artifact.file_name == "model.tar.gz"
    assert (str(manifest.framework), manifest.framework_version, manifest.image_uri) == (
        "sklearn",
        "1.2-1",
        None,
    )
    lineage = manifest.lineage
    assert lineage is not None
    assert lineage.training_job_name == RUN.job_name and lineage.execution_arn == RUN.execution_arn
    assert [(d.channel, d.sha256) for d in lineage.data] == [("train", "2" * 64)]
    assert lineage.hyperparameters == {"C": "0.5"} and lineage.metrics["accuracy"] == 0.94
    assert (lineage.source_sha256, lineage.run_identity) == ("3" * 64, "4" * 64)
    assert lineage.training_image_uri == RUN.image_uri


def test_the_version_can_be_chosen() -> None:
    assert registered(minimal_spec(), version="v7").version == "v7"


def test_a_custom_image_serves_itself() -> None:
    manifest = registered(minimal_spec(job={"kind": "custom_image", "image_uri": CUSTOM_IMAGE}))
    assert manifest.image_uri == CUSTOM_IMAGE and manifest.framework is None


def test_automl_registers_the_image_the_run_reports() -> None:
    job = {"kind": "automl", "problem_type": "regression", "target_column": "price"}
    evaluation = {"metric": "rmse", "threshold": 5, "held_out_uri": f"{BUCKET}/datasets/h.csv"}

    manifest = registered(minimal_spec(job=job, evaluation=evaluation))

    assert manifest.image_uri == RUN.image_uri


def test_serving_settings_and_a_training_data_baseline_are_carried_over() -> None:
    serving = {
        "inference": {"type": "realtime", "instance_type": "ml.c5.large"},
        "deployment": {"strategy": "canary"},
        "monitoring": {"enabled": True},
        "tags": {"team": "retention"},
    }

    manifest = registered(minimal_spec(serving=serving, description="Churn"))

    assert str(manifest.deployment.strategy) == "canary" and manifest.tags == {"team": "retention"}
    assert manifest.description == "Churn"
    assert manifest.monitoring.baseline_dataset_key == baseline_key("churn", RUN.job_name)
    assert manifest.monitoring.baseline_dataset_key == "models/churn/churn-20250601-1200/baseline.csv"
    assert manifest.monitoring.header_row is True and manifest.monitoring.target_column == "churned"


def test_an_empty_artifact_is_never_registered() -> None:
    spec = check(minimal_spec())
    assert isinstance(spec, TrainingSpec)
    empty = dataclasses.replace(RUN, artifact_size=0)
    with pytest.raises(ValueError, match="empty artifact"):
        manifest_document(spec, empty)
