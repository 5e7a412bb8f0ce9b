"""`mlops training validate` prints every problem of a training spec (exit 1) or "valid" (exit 0)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.unit.training.samples import BUCKET, minimal_spec

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "training" / "churn.json"


def write(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "training.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_the_example_is_valid(run) -> None:
    result = run("training", "validate", EXAMPLE, "--allowed-prefixes", "s3://ml-data-example/")

    assert result.exit_code == 0, result.output
    assert result.output.startswith("valid: training spec for churn, job framework_script")
    assert "s3://ml-data-example/" in result.output


def test_every_problem_is_printed_with_path_found_and_allowed(run, tmp_path: Path) -> None:
    doc = minimal_spec(
        resources={"instance_count": -1, "spot": {"max_wait_minutes": 10}},
        tuning={"ranges": {"C": {"type": "categorical", "values": ["1"]}}},
        channels=[{"name": "train", "uri": "s3://elsewhere/data/../x/"}],
        unknown=1,
    )

    result = run("training", "validate", write(tmp_path, doc), "--allowed-prefixes", f"{BUCKET}/")

    assert result.exit_code == 1
    assert "5 problem(s)" in result.output
    assert "- resources.instance_count: found -1; allowed:" in result.output
    assert "- resources.spot.checkpoint_uri: found (missing); allowed:" in result.output
    assert "- tuning.objective: found (missing); allowed:" in result.output
    assert (
        "- channels[0].uri: found 's3://elsewhere/data/../x/'; allowed: an S3 URI whose path has no"
        in result.output
    )
    assert "- unknown: found 1; allowed:" in result.output
    assert "valid:" not in result.output


def test_prefixes_come_from_the_environment_too(run, tmp_path: Path) -> None:
    path = write(tmp_path, minimal_spec())

    result = run("training", "validate", path, env={"MLOPS_TRAINING_PREFIXES": "s3://other/, s3://more/"})

    assert result.exit_code == 1
    assert "under one of the prefixes the platform allows: s3://other/, s3://more/" in result.output


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(b"{nope", "- $: found not valid JSON", id="not-json"),
        pytest.param(b'{"schema_version": "2"}', "- schema_version: found '2'; allowed: '1'", id="version"),
        pytest.param(b"[" * 50 + b"]" * 50, "nested 50 levels deep", id="deep"),
    ],
)
def test_unreadable_specs_are_problems_not_tracebacks(
    run, tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "training.json"
    path.write_bytes(content)

    result = run("training", "validate", path)

    assert result.exit_code == 1 and expected in result.output
    assert "Traceback" not in result.output


def test_a_missing_file_is_a_usage_error(run, tmp_path: Path) -> None:
    result = run("training", "validate", tmp_path / "absent.json")
    assert result.exit_code == 2 and "training spec not found" in result.output
