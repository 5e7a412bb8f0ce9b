"""The optional lineage section: how a trained model was built, checked like every other field."""

from __future__ import annotations

from typing import Any

import pytest

from mlops_manifest import Manifest
from mlops_manifest.lineage import ChampionComparison, comparison_summary
from tests.manifest_samples import minimal_manifest
from tests.unit.manifest.reading import check, problems

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

    found = problems(minimal_manifest(lineage=bad))

    assert {p.path for p in found} == {
        "lineage.execution_arn",
        "lineage.data[0].channel",
        "lineage.data[0].uri",
        "lineage.data[0].sha256",
        "lineage.surprise",
    }
    [arn] = [p for p in found if p.path == "lineage.execution_arn"]
    assert "Step Functions execution ARN" in arn.allowed


def _comparison(verdict: str, **fields: Any) -> ChampionComparison:
    base = {"metric": "auc", "challenger_score": 0.91, "held_out_sha256": "e" * 64, "verdict": verdict}
    return ChampionComparison.model_validate(base | fields)


@pytest.mark.parametrize(
    ("comparison", "expected"),
    [
        (None, "none (not produced by a training run)"),
        (
            _comparison("better", champion_version="churn-1", champion_score=0.9),
            "better than champion churn-1: auc 0.9100 vs 0.9000 on the same held-out data",
        ),
        (
            _comparison("equal", champion_version="churn-1", champion_score=0.91),
            "equal to champion churn-1: auc 0.9100 vs 0.9100 on the same held-out data",
        ),
        (
            _comparison("no_champion"),
            "auc 0.9100 on held-out data; no champion to compare with (the model's first published run)",
        ),
        (
            _comparison("not_comparable", champion_version="churn-1", champion_score=0.5),
            "auc 0.9100; not comparable with champion churn-1 (other held-out data or metric)",
        ),
    ],
)
def test_the_comparison_reads_as_one_line(comparison: ChampionComparison | None, expected: str) -> None:
    assert comparison_summary(comparison) == expected
