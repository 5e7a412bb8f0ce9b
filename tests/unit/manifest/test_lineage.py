"""The optional lineage section: how a trained model was built, checked like every other field."""

from __future__ import annotations

import json
from typing import Any

from mlops_manifest import Manifest, Problem, validate_manifest
from tests.manifest_samples import minimal_manifest

LINEAGE: dict[str, Any] = {
    "training_job_name": "churn-train-20250101",
    "execution_arn": "arn:aws:states:eu-west-1:123456789012:execution:train-churn:run-1",
    "source_uri": "s3://ml-data/training/churn/code/source.tar.gz",
    "source_sha256": "b" * 64,
    "data": [{"channel": "train", "uri": "s3://ml-data/datasets/churn/train/", "sha256": "c" * 64}],
    "hyperparameters": {"max_depth": "5"},
    "metrics": {"accuracy": 0.93},
    "run_identity": "d" * 64,
}


def check(doc: dict[str, Any]) -> Manifest | list[Problem]:
    return validate_manifest(json.dumps(doc).encode())


def test_a_manifest_without_lineage_stays_valid() -> None:
    manifest = check(minimal_manifest())
    assert isinstance(manifest, Manifest) and manifest.lineage is None


def test_lineage_is_kept_as_written() -> None:
    manifest = check(minimal_manifest(lineage=LINEAGE))

    assert isinstance(manifest, Manifest) and manifest.lineage is not None
    assert manifest.lineage.data[0].sha256 == "c" * 64
    assert manifest.lineage.metrics == {"accuracy": 0.93}


def test_every_bad_lineage_field_is_named_in_words() -> None:
    bad = LINEAGE | {
        "execution_arn": "arn:aws:lambda:eu-west-1:123456789012:function:x",
        "data": [{"channel": "../train", "uri": "http://x", "sha256": "C" * 64}],
        "surprise": 1,
    }

    problems = check(minimal_manifest(lineage=bad))

    assert isinstance(problems, list)
    assert {p.path for p in problems} == {
        "lineage.execution_arn",
        "lineage.data[0].channel",
        "lineage.data[0].uri",
        "lineage.data[0].sha256",
        "lineage.surprise",
    }
    [arn] = [p for p in problems if p.path == "lineage.execution_arn"]
    assert "Step Functions execution ARN" in arn.allowed
