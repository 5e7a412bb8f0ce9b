"""Synthesis-time reading of the config's training specs: every problem of every spec, with its file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlops_config.model import TrainingSettings
from stacks.training_specs import TrainingSpecError, load_training_specs
from tests.unit.training.samples import BUCKET, minimal_spec

PREFIXES = (f"{BUCKET}/",)


def _write(root: Path, name: str, document: object) -> str:
    (root / name).write_text(json.dumps(document), encoding="utf-8")
    return name


def test_valid_specs_load_in_order_with_their_text(tmp_path: Path) -> None:
    first = _write(tmp_path, "a.json", minimal_spec())
    second = _write(tmp_path, "b.json", minimal_spec(model_name="fraud"))
    loaded = load_training_specs(TrainingSettings(specs=(first, second), allowed_prefixes=PREFIXES), tmp_path)
    assert [item.spec.model_name for item in loaded] == ["churn", "fraud"]
    assert json.loads(loaded[0].text)["model_name"] == "churn"


def test_every_problem_of_every_spec_is_named_with_its_file(tmp_path: Path) -> None:
    outside = _write(tmp_path, "outside.json", minimal_spec())
    broken = _write(tmp_path, "broken.json", minimal_spec(channels=[]))
    settings = TrainingSettings(specs=(outside, broken, "missing.json"), allowed_prefixes=("s3://other/",))
    with pytest.raises(TrainingSpecError) as raised:
        load_training_specs(settings, tmp_path)
    message = str(raised.value)
    assert "outside.json: channels[0].uri" in message and "outside.json: job.source_uri" in message
    assert "broken.json: channels:" in message
    assert "missing.json: $: found no readable file" in message


def test_an_automl_spec_becomes_a_pipeline(tmp_path: Path) -> None:
    job = {"kind": "automl", "problem_type": "binary_classification", "target_column": "churned"}
    evaluation = {"metric": "f1", "threshold": 0.5, "held_out_uri": f"{BUCKET}/h.csv"}
    name = _write(tmp_path, "automl.json", minimal_spec(job=job, evaluation=evaluation))
    (loaded,) = load_training_specs(TrainingSettings(specs=(name,), allowed_prefixes=PREFIXES), tmp_path)
    assert loaded.spec.job.kind == "automl"


def test_a_framework_without_a_training_image_is_refused(tmp_path: Path) -> None:
    job = {**minimal_spec()["job"], "framework": "pytorch", "framework_version": "2.1"}
    name = _write(tmp_path, "torch.json", minimal_spec(job=job))
    with pytest.raises(TrainingSpecError, match=r"torch.json: job.framework: found 'pytorch'"):
        load_training_specs(TrainingSettings(specs=(name,), allowed_prefixes=PREFIXES), tmp_path)


def test_two_specs_for_one_model_are_refused(tmp_path: Path) -> None:
    first = _write(tmp_path, "a.json", minimal_spec())
    second = _write(tmp_path, "b.json", minimal_spec())
    with pytest.raises(TrainingSpecError, match=r"b.json: model_name: found 'churn' in another spec"):
        load_training_specs(TrainingSettings(specs=(first, second), allowed_prefixes=PREFIXES), tmp_path)


@pytest.mark.parametrize("path", ["/etc/spec.json", "../spec.json", "specs/../../x.json", "a//b.json"])
def test_spec_paths_stay_inside_the_repository(path: str) -> None:
    with pytest.raises(ValueError, match=r"spec"):
        TrainingSettings(specs=(path,), allowed_prefixes=PREFIXES)


@pytest.mark.parametrize("prefix", ["s3://bucket", "s3://bucket/data", "https://bucket/data/"])
def test_allowed_prefixes_are_s3_prefixes_ending_in_a_slash(prefix: str) -> None:
    with pytest.raises(ValueError, match=r"allowed_prefixes"):
        TrainingSettings(specs=("a.json",), allowed_prefixes=(prefix,))
