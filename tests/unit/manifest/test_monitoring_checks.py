"""Cross-field rules for monitoring, endpoint names and realtime autoscaling."""

from __future__ import annotations

from typing import Any

import pytest

from mlops_manifest import Manifest
from mlops_manifest.monitoring import DatasetFormat, dataset_format
from tests.manifest_samples import minimal_manifest as minimal
from tests.unit.manifest.reading import check, problems, problems_of


def monitoring(**section: Any) -> dict[str, Any]:
    return minimal(monitoring={"enabled": True, **section})


def test_model_name_leaves_room_for_the_stage_in_the_endpoint_name() -> None:
    assert isinstance(check(minimal(model_name="m" * 42)), Manifest)

    [problem] = problems(minimal(model_name="m" * 43))

    assert (problem.path, problem.code) == ("model_name", "name_too_long")
    assert "42" in problem.allowed and "63" in problem.allowed


def test_realtime_cannot_scale_to_zero_but_async_can() -> None:
    scaling = {"min_capacity": 0, "max_capacity": 2}
    realtime = minimal(inference={"type": "realtime", "autoscaling": scaling})
    asynchronous = minimal(inference={"type": "async", "autoscaling": scaling})

    assert problems_of(realtime) == {("inference.autoscaling.min_capacity", "range")}
    assert isinstance(check(asynchronous), Manifest)
    assert "scale to zero" in problems(realtime)[0].allowed


def test_serverless_endpoints_cannot_be_monitored() -> None:
    doc = monitoring(baseline_dataset_key="datasets/b.csv", header_row=True)
    doc["inference"] = {"type": "serverless"}

    [problem] = problems(doc)

    assert (problem.path, problem.code) == ("monitoring.enabled", "serverless_no_capture")
    assert "data capture" in problem.allowed


@pytest.mark.parametrize(
    ("field", "key"),
    [
        ("baseline_dataset_key", "shared/b.csv"),
        ("baseline_dataset_key", "models/other-model/b.csv"),
        ("baseline_statistics_key", "reports/statistics.json"),
    ],
)
def test_baseline_keys_outside_the_readable_prefixes_are_rejected(field: str, key: str) -> None:
    [problem] = problems(monitoring(header_row=True, **{field: key}))

    assert (problem.path, problem.code) == (f"monitoring.{field}", "baseline_prefix")
    assert "datasets/" in problem.allowed and "models/churn/" in problem.allowed


def test_constraints_key_is_checked_too() -> None:
    doc = monitoring(baseline_statistics_key="datasets/s.json", baseline_constraints_key="tmp/c.json")
    assert problems_of(doc) == {("monitoring.baseline_constraints_key", "baseline_prefix")}


@pytest.mark.parametrize("key", ["datasets/churn/b.csv", "models/churn/v1/b.csv"])
def test_baseline_keys_inside_the_readable_prefixes_are_accepted(key: str) -> None:
    assert isinstance(check(monitoring(baseline_dataset_key=key, header_row=True)), Manifest)


def test_json_lines_need_declared_features_and_have_no_header() -> None:
    assert problems_of(monitoring(baseline_dataset_key="datasets/b.jsonl")) == {
        ("monitoring.features", "missing")
    }
    features = [{"name": "a", "type": "numeric"}]
    with_header = monitoring(baseline_dataset_key="datasets/b.jsonl", features=features, header_row=True)
    assert problems_of(with_header) == {("monitoring.header_row", "conflict")}


@pytest.mark.parametrize("key", ["datasets/b.parquet", "models/churn/v1/B.PQ"])
def test_parquet_names_its_own_columns_so_needs_neither_features_nor_a_header_row(key: str) -> None:
    assert isinstance(check(monitoring(baseline_dataset_key=key, target_column="y")), Manifest)
    with_header = monitoring(baseline_dataset_key=key, header_row=True)
    assert problems_of(with_header) == {("monitoring.header_row", "conflict")}


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("datasets/b.csv", DatasetFormat.CSV),
        ("datasets/b.tsv.gz", DatasetFormat.CSV),
        ("datasets/b.JSONL", DatasetFormat.JSON_LINES),
        ("datasets/b.parquet", DatasetFormat.PARQUET),
        ("datasets/b.pq", DatasetFormat.PARQUET),
        ("datasets/parquet/b.csv", DatasetFormat.CSV),
    ],
)
def test_dataset_format_follows_the_key_suffix(key: str, expected: DatasetFormat) -> None:
    assert dataset_format(key) is expected


def test_csv_target_needs_a_header_row() -> None:
    features = [{"name": "a", "type": "numeric"}]
    doc = monitoring(baseline_dataset_key="datasets/b.csv", features=features, target_column="y")
    assert problems_of(doc) == {("monitoring.target_column", "needs_header")}


def test_csv_header_row_may_be_checked_against_declared_features() -> None:
    features = [{"name": "a", "type": "numeric"}, {"name": "b", "type": "text"}]
    doc = monitoring(
        baseline_dataset_key="datasets/b.csv", features=features, header_row=True, target_column="y"
    )
    assert isinstance(check(doc), Manifest)
