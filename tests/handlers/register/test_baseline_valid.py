"""Given monitoring on and a good baseline, registration stores its profile and the event says where."""

from __future__ import annotations

import json
import statistics
from typing import Any

import pytest

from tests.handlers.register import baselines as b
from tests.handlers.register.artifacts import good_model
from tests.handlers.register.conftest import BUCKET, Registry, valid_manifest

PROFILE_KEY = "baselines/churn-model/v1/profile.json"


def monitored(**monitoring: Any) -> dict[str, Any]:
    manifest = valid_manifest()
    manifest["monitoring"] = {"enabled": True, **monitoring}
    return manifest


def stored_profile(registry: Registry) -> dict[str, Any]:
    body = registry.s3.get_object(Bucket=BUCKET, Key=PROFILE_KEY)["Body"].read()
    profile: dict[str, Any] = json.loads(body)
    return profile


def features(profile: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in profile["features"]}


def assert_income_matches(feature: dict[str, Any], data: list[b.Row]) -> None:
    incomes = [row["income"] for row in data]
    assert feature["kind"] == "numeric"
    assert feature["mean"] == pytest.approx(statistics.fmean(incomes), rel=1e-12)
    assert feature["min"] == min(incomes) and feature["max"] == max(incomes)


def test_csv_baseline_is_profiled_and_located_in_the_event(registry: Registry) -> None:
    data = b.rows(300)
    registry.put("datasets/churn/baseline.csv", b.csv_bytes(data))
    manifest = monitored(
        baseline_dataset_key="datasets/churn/baseline.csv", header_row=True, target_column="churned"
    )

    outcome = registry.invoke(registry.upload(manifest, good_model()))

    assert outcome["status"] == "registered"
    profile = stored_profile(registry)
    assert profile["record_count"] == 300
    assert [f["name"] for f in profile["features"]] == ["age", "income", "plan"]
    assert_income_matches(features(profile)["income"], data)
    assert features(profile)["plan"]["kind"] == "categorical"
    [event] = registry.events("ModelRegistered")
    assert event["detail"]["baseline_profile"] == {"bucket": BUCKET, "key": PROFILE_KEY}


def test_headerless_csv_uses_declared_features_and_skips_text(registry: Registry) -> None:
    data = [dict(row, note=f"free text {i}", vip=i % 3 == 0) for i, row in enumerate(b.rows(150))]
    columns = ("age", "income", "plan", "note", "vip")
    registry.put("models/churn-model/v1/baseline.csv", b.csv_bytes(data, columns, header=False))
    declared = [*b.FEATURES, {"name": "note", "type": "text"}, {"name": "vip", "type": "boolean"}]
    manifest = monitored(baseline_dataset_key="models/churn-model/v1/baseline.csv", features=declared)

    assert registry.invoke(registry.upload(manifest, good_model()))["status"] == "registered"

    profile = stored_profile(registry)
    assert profile["record_count"] == 150
    assert [f["name"] for f in profile["features"]] == ["age", "income", "plan", "vip"]
    assert features(profile)["vip"]["kind"] == "categorical"
    assert_income_matches(features(profile)["income"], data)


def test_json_lines_baseline_is_profiled(registry: Registry) -> None:
    data = b.rows(200, seed=3)
    registry.put("datasets/churn/baseline.jsonl", b.jsonl_bytes(data))
    manifest = monitored(
        baseline_dataset_key="datasets/churn/baseline.jsonl", features=b.FEATURES, target_column="churned"
    )

    assert registry.invoke(registry.upload(manifest, good_model()))["status"] == "registered"

    profile = stored_profile(registry)
    assert profile["record_count"] == 200
    assert [f["name"] for f in profile["features"]] == ["age", "income", "plan"]
    assert_income_matches(features(profile)["income"], data)
    ages = [row["age"] for row in data]
    assert features(profile)["age"]["max"] == max(ages)


def test_model_monitor_statistics_are_imported(registry: Registry) -> None:
    data = b.rows(500)
    registry.put("datasets/churn/statistics.json", json.dumps(b.model_monitor_statistics(data)).encode())
    registry.put("datasets/churn/constraints.json", json.dumps(b.model_monitor_constraints()).encode())
    manifest = monitored(
        baseline_statistics_key="datasets/churn/statistics.json",
        baseline_constraints_key="datasets/churn/constraints.json",
    )

    assert registry.invoke(registry.upload(manifest, good_model()))["status"] == "registered"

    profile = stored_profile(registry)
    assert profile["record_count"] == 500
    assert_income_matches(features(profile)["income"], data)
    plan = features(profile)["plan"]
    assert plan["kind"] == "categorical" and "enterprise" in plan["categories"]
    assert sum(plan["counts"]) == 500
    [event] = registry.events("ModelRegistered")
    assert event["detail"]["baseline_profile"]["key"] == PROFILE_KEY


def test_monitoring_off_stores_no_profile(registry: Registry) -> None:
    assert registry.invoke(registry.upload(valid_manifest(), good_model()))["status"] == "registered"

    [event] = registry.events("ModelRegistered")
    assert event["detail"]["baseline_profile"] is None
    assert registry.keys("baselines/") == []


def test_the_manifest_drift_thresholds_are_stored_with_the_profile(registry: Registry) -> None:
    registry.put("datasets/churn/baseline.csv", b.csv_bytes(b.rows(300)))
    limits = {"missing_rate_decrease": 0.2, "out_of_range_rate": 0.03, "ks_distance": 0.15}
    manifest = monitored(
        baseline_dataset_key="datasets/churn/baseline.csv",
        header_row=True,
        target_column="churned",
        thresholds=limits,
    )
    assert registry.invoke(registry.upload(manifest, good_model()))["status"] == "registered"
    stored = stored_profile(registry)["drift_thresholds"]
    assert (stored["missing_rate_decrease"], stored["out_of_range_rate"], stored["ks"]) == (0.2, 0.03, 0.15)
    assert stored["schema_mismatch_rate"] == 0.01 and stored["psi"] == 0.2
