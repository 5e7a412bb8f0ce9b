"""Local training: a spec trained with scikit-learn, same contract as the job (channels in, artifact out)."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from mlops_local.demo_model import TARGET, demo_data
from mlops_local.model_loader import load_artifact
from mlops_local.training import LocalTraining, TrainingDataError, train_locally
from mlops_manifest import Manifest, validate_manifest
from mlops_training.manifest_from_run import manifest_document
from mlops_training.spec import TrainingSpec
from tests.unit.training.samples import check, minimal_spec


def write_csv(path: Path, x: np.ndarray[Any, Any], y: np.ndarray[Any, Any]) -> Path:
    names = demo_data().feature_names
    rows = [",".join([*names, TARGET])] + [
        ",".join([*map(repr, r.tolist()), str(int(t))]) for r, t in zip(x, y, strict=True)
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def data(tmp_path: Path) -> dict[str, Path]:
    demo = demo_data()
    return {
        "train": write_csv(tmp_path / "train" / "part-1.csv", demo.train_x, demo.train_y).parent,
        "held_out": write_csv(tmp_path / "held-out.csv", demo.held_out_x, demo.held_out_y),
    }


def spec_of(threshold: float = 0.9, **overrides: Any) -> TrainingSpec:
    evaluation = minimal_spec()["evaluation"] | {"target_column": TARGET, "threshold": threshold}
    spec = check(minimal_spec(evaluation=evaluation, **overrides))
    assert isinstance(spec, TrainingSpec), spec
    return spec


def train(spec: TrainingSpec, data: dict[str, Path], tmp_path: Path, job: str = "local-1") -> LocalTraining:
    return train_locally(
        spec,
        channels={"train": data["train"]},
        held_out=data["held_out"],
        output=tmp_path / job,
        job_name=job,
    )


def test_a_spec_trains_to_a_servable_artifact_and_metrics(data: dict[str, Path], tmp_path: Path) -> None:
    result = train(spec_of(), data, tmp_path)

    assert result.passed and result.score is not None and result.score > 0.9
    with tarfile.open(result.artifact) as archive:
        assert {"model.joblib", "code/inference.py"} <= set(archive.getnames())
    model = load_artifact(result.artifact)
    assert len(model.predict(demo_data().held_out_x[:3])) == 3
    metrics = json.loads(result.metrics_file.read_text())
    assert metrics["accuracy"] == result.score and 0.9 < metrics["roc_auc"] <= 1


def test_the_run_registers_through_the_manifest_with_its_lineage(
    data: dict[str, Path], tmp_path: Path
) -> None:
    result = train(spec_of(hyperparameters={"C": 0.5}), data, tmp_path)

    manifest = validate_manifest(
        json.dumps(manifest_document(spec_of(hyperparameters={"C": 0.5}), result.run)).encode()
    )

    assert isinstance(manifest, Manifest), manifest
    assert manifest.artifact.sha256 == result.run.artifact_sha256
    assert manifest.lineage is not None and manifest.lineage.hyperparameters == {"C": "0.5"}
    assert "sagemaker-scikit-learn" in (manifest.lineage.training_image_uri or "")


def test_hyperparameters_reach_the_estimator(data: dict[str, Path], tmp_path: Path) -> None:
    strong = train(spec_of(hyperparameters={"C": 1e-6}), data, tmp_path, "weak-c")
    normal = train(spec_of(), data, tmp_path, "normal-c")
    assert strong.run.artifact_sha256 != normal.run.artifact_sha256


def test_same_inputs_give_the_same_identity_and_new_data_changes_it(
    data: dict[str, Path], tmp_path: Path
) -> None:
    first = train(spec_of(), data, tmp_path, "first")
    again = train(spec_of(), data, tmp_path, "again")
    demo = demo_data()
    write_csv(data["train"] / "part-2.csv", demo.held_out_x[:10], demo.held_out_y[:10])
    more = train(spec_of(), data, tmp_path, "more")

    assert first.run.run_identity == again.run.run_identity
    assert more.run.run_identity != first.run.run_identity


def test_a_model_below_the_threshold_does_not_pass(data: dict[str, Path], tmp_path: Path) -> None:
    result = train(spec_of(threshold=0.999), data, tmp_path)
    assert result.score is not None and not result.passed


def test_a_missing_target_column_is_named(data: dict[str, Path], tmp_path: Path) -> None:
    spec = check(minimal_spec())  # target column "churned": not in the demo data
    assert isinstance(spec, TrainingSpec)
    with pytest.raises(TrainingDataError, match="no target column 'churned'"):
        train(spec, data, tmp_path)


def test_jobs_it_cannot_stand_in_for_are_refused(data: dict[str, Path], tmp_path: Path) -> None:
    job = {"kind": "builtin_algorithm", "algorithm": "xgboost", "version": "1.7-1"}
    with pytest.raises(TrainingDataError, match="scikit-learn script jobs only, not builtin_algorithm"):
        train(spec_of(job=job), data, tmp_path)


def test_a_ragged_csv_names_the_row(data: dict[str, Path], tmp_path: Path) -> None:
    bad = data["train"] / "part-1.csv"
    bad.write_text(bad.read_text().splitlines()[0] + "\n1,2\n", encoding="utf-8")
    with pytest.raises(TrainingDataError, match="row 2 does not have the 31 values"):
        train(spec_of(), data, tmp_path)
