"""monitoring.quality: schema, defaults and every cross-field rule (exact path/code problem sets)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lambdas.model_quality.publishing import BIAS_NAMES, METRIC_NAMES
from lambdas.model_quality.request import ProblemType as RequestProblemType
from mlops_manifest import Manifest
from mlops_manifest.monitoring import BiasMetric, ProblemType, QualityMetric
from tests.manifest_samples import minimal_manifest as minimal
from tests.unit.manifest.reading import check, problems, problems_of

ROOT = Path(__file__).resolve().parents[3]
FEATURES = [{"name": "age", "type": "numeric"}, {"name": "plan", "type": "categorical"}]


def quality(**section: Any) -> dict[str, Any]:
    """A minimal realtime manifest (capture on by default) with a quality section."""
    return minimal(monitoring={"quality": {"problem_type": "binary_classification", **section}})


def with_monitoring(doc: dict[str, Any], **monitoring: Any) -> dict[str, Any]:
    doc["monitoring"].update(monitoring)
    return doc


def test_defaults() -> None:
    manifest = check(quality())

    assert isinstance(manifest, Manifest)
    q = manifest.monitoring.quality
    assert q is not None and q.problem_type is ProblemType.BINARY
    assert (q.probability_threshold, q.lookback_hours, q.min_records, q.schedule) == (
        0.5,
        48,
        50,
        "rate(1 day)",
    )
    assert (q.thresholds, q.bias_attributes, q.bias_thresholds, q.classes) == ({}, [], {}, [])
    assert not manifest.monitoring.enabled  # quality is independent of drift monitoring


def test_manifest_names_agree_with_the_function() -> None:
    assert {m.value for m in QualityMetric} == set(METRIC_NAMES)
    assert {m.value for m in BiasMetric} == set(BIAS_NAMES)
    assert RequestProblemType is ProblemType
    assert [p.value for p in ProblemType] == [
        "binary_classification",
        "multiclass_classification",
        "regression",
    ]


def test_unknown_metric_is_rejected_with_the_allowed_names() -> None:
    result = problems(quality(thresholds={"auc": {"min": 0.7}}, bias_thresholds={"gap": {"max": 1}}))

    assert {(p.path, p.code) for p in result} == {
        ("monitoring.quality.thresholds.auc.[key]", "enum"),
        ("monitoring.quality.bias_thresholds.gap.[key]", "enum"),
    }
    metric = next(p for p in result if "thresholds.auc" in p.path)
    assert all(f"'{name}'" in metric.allowed for name in METRIC_NAMES)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("problem_type", "ranking"),
        ("probability_threshold", 1.5),
        ("lookback_hours", 0),
        ("min_records", 0),
        ("schedule", "every day"),
        ("bias_attributes", [""]),
    ],
)
def test_field_constraints(field: str, value: Any) -> None:
    paths = {path for path, _ in problems_of(quality(**{field: value}))}

    assert len(paths) == 1 and next(iter(paths)).startswith(f"monitoring.quality.{field}")


def test_quality_needs_data_capture() -> None:
    off = quality()
    off["data_capture"] = {"enabled": False}
    zero = quality()
    zero["data_capture"] = {"sampling_percent": 0}

    assert problems_of(off) == {("data_capture.enabled", "quality_needs_capture")}
    # Capture on at 0 % is refused on its own, whatever reads the capture.
    assert problems_of(zero) == {("data_capture.sampling_percent", "capture_samples_nothing")}


@pytest.mark.parametrize(
    "inference",
    [{"type": "serverless"}, {"type": "batch", "input_path": "daily/"}],
)
def test_quality_needs_an_instance_backed_endpoint(inference: dict[str, Any]) -> None:
    doc = quality()
    doc["inference"] = inference

    assert problems_of(doc) == {("monitoring.quality", "quality_needs_capture")}


def test_thresholds_must_be_metrics_of_the_problem_type() -> None:
    regression = quality(problem_type="regression", thresholds={"accuracy": {"min": 0.8}, "rmse": {"max": 1}})
    binary = quality(thresholds={"r2": {"min": 0.5}, "f1_macro": {"min": 0.5}, "f1": {"min": 0.5}})

    assert problems_of(regression) == {("monitoring.quality.thresholds.accuracy", "metric_problem_type")}
    assert problems_of(binary) == {
        ("monitoring.quality.thresholds.r2", "metric_problem_type"),
        ("monitoring.quality.thresholds.f1_macro", "metric_problem_type"),
    }
    assert problems(regression)[0].allowed == "a regression metric: rmse, mae, r2"


def test_limits_name_a_bound_in_order() -> None:
    doc = quality(thresholds={"accuracy": {}, "f1": {"min": 0.9, "max": 0.5}, "recall": {"min": 0.5}})

    assert problems_of(doc) == {
        ("monitoring.quality.thresholds.accuracy", "missing"),
        ("monitoring.quality.thresholds.f1", "range"),
    }


def test_multiclass_needs_unique_classes() -> None:
    base = {"problem_type": "multiclass_classification", "thresholds": {"f1_macro": {"min": 0.6}}}

    assert problems_of(quality(**base)) == {("monitoring.quality.classes", "missing")}
    assert problems_of(quality(**base, classes=["a", "b", "a"])) == {
        ("monitoring.quality.classes", "duplicate")
    }
    assert isinstance(check(quality(**base, classes=["a", "b", "c"])), Manifest)


def test_bias_is_for_binary_classification_only() -> None:
    doc = quality(problem_type="regression", bias_attributes=["plan"])
    with_monitoring(doc, features=FEATURES)
    thresholds_only = quality(bias_thresholds={"selection_rate_gap": {"max": 0.2}})

    assert problems_of(doc) == {("monitoring.quality.bias_attributes", "bias_binary_only")}
    assert problems_of(thresholds_only) == {("monitoring.quality.bias_thresholds", "conflict")}


def test_bias_attributes_must_be_declared_features() -> None:
    doc = with_monitoring(quality(bias_attributes=["plan", "zip", "age", "gender"]), features=FEATURES)

    assert problems_of(doc) == {
        ("monitoring.quality.bias_attributes[1]", "unknown_feature"),
        ("monitoring.quality.bias_attributes[3]", "unknown_feature"),
    }
    assert problems(doc)[0].allowed == "one of the features: age, plan"


def test_bias_attributes_need_names_from_features_or_a_drift_baseline() -> None:
    unnamed = quality(bias_attributes=["plan"])
    baseline = with_monitoring(
        quality(bias_attributes=["plan"]),
        enabled=True,
        baseline_dataset_key="datasets/b.csv",
        header_row=True,
    )

    assert problems_of(unnamed) == {("monitoring.features", "missing")}
    assert isinstance(check(baseline), Manifest)


def test_every_problem_is_listed_together() -> None:
    doc = quality(
        problem_type="multiclass_classification",
        thresholds={"rmse": {"max": 1}},
        bias_attributes=["plan"],
    )
    doc["data_capture"] = {"enabled": False}

    assert problems_of(doc) == {
        ("data_capture.enabled", "quality_needs_capture"),
        ("monitoring.quality.thresholds.rmse", "metric_problem_type"),
        ("monitoring.quality.classes", "missing"),
        ("monitoring.quality.bias_attributes", "bias_binary_only"),
    }


def test_committed_schema_describes_quality() -> None:
    schema = json.loads((ROOT / "docs" / "manifest.schema.json").read_text(encoding="utf-8"))
    q = schema["$defs"]["Quality"]

    assert q["required"] == ["problem_type"] and q["additionalProperties"] is False
    assert schema["$defs"]["QualityMetric"]["enum"] == sorted(METRIC_NAMES, key=list(METRIC_NAMES).index)
    assert q["properties"]["schedule"]["default"] == "rate(1 day)"
