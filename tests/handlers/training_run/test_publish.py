"""Publish: artifact and baseline copied, the manifest written last and valid, the run recorded."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from lambdas.training_run.errors import TrainingRunError
from mlops_manifest.validate import validate_manifest
from tests.handlers.training_run.conftest import REGISTRY, REPORTS, World, tar_gz

ARTIFACT_KEY = "training/churn/jobs/churn-260302-120000/output/model.tar.gz"


def _publish(world: World, artifact: bytes) -> tuple[dict[str, Any], dict[str, Any]]:
    """Prepare, evaluate (perfect predictions) and publish a run whose job wrote `artifact`."""
    run = world.prepare()
    world.put(REPORTS, run["evaluationOutputUri"].removeprefix(f"s3://{REPORTS}/") + "features.csv.out",
              b"1\n0\n1\n0\n")  # fmt: skip
    evaluation = world.step({"action": "evaluate", "run": run})
    world.put(REPORTS, ARTIFACT_KEY, artifact)
    world.sagemaker.described = {
        "FinalMetricDataList": [{"MetricName": "validation:f1", "Value": 0.91}],
        "HyperParameters": {"sagemaker_program": "train.py"},
    }
    event = {
        "action": "publish",
        "run": run,
        "trainedJobName": run["runName"],
        "artifactUri": f"s3://{REPORTS}/{ARTIFACT_KEY}",
        "evaluation": evaluation,
        "executionArn": "arn:aws:states:us-east-1:123456789012:execution:sm:run",
    }
    return run, world.step(event)


def test_the_artifact_is_copied_with_its_digest_and_the_manifest_validates(world: World) -> None:
    artifact = tar_gz({"model.joblib": b"weights" * 1000})
    run, result = _publish(world, artifact)
    folder = f"models/churn/{run['runName']}/"
    assert world.read(REGISTRY, folder + "model.tar.gz") == artifact
    assert result["sha256"] == hashlib.sha256(artifact).hexdigest()
    manifest = world.read(REGISTRY, folder + "manifest.json")
    assert not isinstance(validate_manifest(manifest), list)
    lineage = json.loads(manifest)["lineage"]
    assert lineage["metrics"] == {"validation:f1": 0.91, "held_out_accuracy": 1.0}
    assert lineage["comparison"]["verdict"] == "no_champion"
    assert lineage["data"][0]["channel"] == "train"


def test_the_training_data_becomes_the_drift_baseline(world: World) -> None:
    run, _ = _publish(world, tar_gz({"model.joblib": b"w"}))
    baseline = world.read(REGISTRY, f"models/churn/{run['runName']}/baseline.csv")
    assert baseline == b"age,churned\n31,1\n41,0\n"


def test_the_published_run_becomes_the_champion(world: World) -> None:
    _publish(world, tar_gz({"model.joblib": b"w"}))
    record = world.history()["runs"][-1]
    assert record["outcome"] == "succeeded" and record["score"] == 1.0 and record["held_out_sha256"]


def test_an_artifact_that_is_not_a_tar_gz_publishes_nothing(world: World) -> None:
    with pytest.raises(TrainingRunError, match=r"is not a tar.gz archive .no gzip header."):
        _publish(world, b"PK\x03\x04 a zip file")
    assert world.keys(REGISTRY) == []


def test_gzip_that_is_not_a_tar_publishes_nothing(world: World) -> None:
    import gzip

    with pytest.raises(TrainingRunError, match=r"is not a tar.gz archive"):
        _publish(world, gzip.compress(b"\x01" * 2048))
    assert world.keys(REGISTRY) == []


def test_an_existing_version_is_never_overwritten(world: World) -> None:
    world.put(REGISTRY, "models/churn/churn-260302-120000/model.tar.gz", b"uploaded by someone")
    with pytest.raises(TrainingRunError, match=r"already exists: the version is taken"):
        _publish(world, tar_gz({"model.joblib": b"w"}))
    assert world.read(REGISTRY, "models/churn/churn-260302-120000/model.tar.gz") == b"uploaded by someone"
