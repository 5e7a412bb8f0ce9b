"""Given a Parquet baseline, registration profiles it like the same data as CSV, or rejects it clearly."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from tests.handlers.register import baselines as b
from tests.handlers.register.artifacts import good_model
from tests.handlers.register.conftest import BUCKET, Registry, valid_manifest

DATASET = "monitoring.baseline_dataset_key"
FEATURES = "monitoring.features"
REPO_ROOT = Path(__file__).resolve().parents[3]


def monitored(version: str, **monitoring: Any) -> dict[str, Any]:
    manifest = valid_manifest(version=version)
    manifest["monitoring"] = {"enabled": True, **monitoring}
    return manifest


def features(profile: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in profile["features"]}


def stored_profile(registry: Registry, version: str) -> dict[str, Any]:
    key = f"baselines/churn-model/{version}/profile.json"
    profile: dict[str, Any] = json.loads(registry.s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())
    return profile


def register(registry: Registry, version: str, **monitoring: Any) -> dict[str, Any]:
    outcome = registry.invoke(
        registry.upload(monitored(version, **monitoring), good_model(), version=version)
    )
    assert outcome["status"] == "registered", outcome
    return stored_profile(registry, version)


def test_parquet_baseline_is_profiled_exactly_like_the_same_rows_as_csv(registry: Registry) -> None:
    data = b.rows(300)
    registry.put("datasets/churn/baseline.parquet", b.parquet_bytes(data))
    registry.put("datasets/churn/baseline.csv", b.csv_bytes(data))

    from_parquet = register(
        registry, "v1", baseline_dataset_key="datasets/churn/baseline.parquet", target_column="churned"
    )
    from_csv = register(
        registry,
        "v2",
        baseline_dataset_key="datasets/churn/baseline.csv",
        header_row=True,
        target_column="churned",
    )

    assert from_parquet["record_count"] == 300
    assert [f["name"] for f in from_parquet["features"]] == ["age", "income", "plan"]
    income = features(from_parquet)["income"]
    assert income["mean"] == pytest.approx(statistics.fmean(row["income"] for row in data), rel=1e-12)
    assert features(from_parquet)["plan"]["kind"] == "categorical"
    assert from_parquet == from_csv


def test_declared_features_select_parquet_columns_and_text_ones_are_skipped(registry: Registry) -> None:
    data = b.rows(150)
    notes = pa.array([f"note {i}" for i in range(150)])
    registry.put("models/churn-model/v1/b.pq", b.parquet_bytes(data, ("age", "income", "plan"), note=notes))
    declared = [*b.FEATURES, {"name": "note", "type": "text"}]

    profile = register(registry, "v1", baseline_dataset_key="models/churn-model/v1/b.pq", features=declared)

    assert profile["record_count"] == 150
    assert [f["name"] for f in profile["features"]] == ["age", "income", "plan"]
    assert features(profile)["age"]["max"] == max(row["age"] for row in data)


GOOD = b.parquet_bytes(b.rows(120))
TIMESTAMPS = pa.array(list(range(120)), pa.timestamp("s"))
CASES = {
    "truncated": (GOOD[: len(GOOD) // 2], {}, {(DATASET, "baseline_not_parquet")}),
    "csv-named-parquet": (b.csv_bytes(b.rows(120)), {}, {(DATASET, "baseline_not_parquet")}),
    "timestamp-column": (
        b.parquet_bytes(b.rows(120), signed_up=TIMESTAMPS),
        {},
        {(DATASET, "baseline_unsupported_type")},
    ),
    "columns-mismatch": (
        b.parquet_bytes(b.rows(120), ("age", "plan", "churned"), region=pa.array(["eu"] * 120)),
        {"features": b.FEATURES},
        {(FEATURES, "baseline_columns_missing"), (FEATURES, "baseline_columns_extra")},
    ),
    "too-few-rows": (b.parquet_bytes(b.rows(99)), {}, {(DATASET, "baseline_too_few_rows")}),
    "header-row-set": (GOOD, {"header_row": True}, {("monitoring.header_row", "conflict")}),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_parquet_baseline_is_rejected_and_uploads_are_untouched(
    shared_registry: Registry, case: str
) -> None:
    body, monitoring, expected = CASES[case]
    world, model = shared_registry, f"parquet-{case}"
    key = f"models/{model}/v1/baseline.parquet"
    world.put(key, body)
    manifest = valid_manifest(model=model)
    manifest["monitoring"] = {"enabled": True, "baseline_dataset_key": key, "target_column": "churned"}
    manifest["monitoring"].update(monitoring)
    event = world.upload(manifest, good_model(), model=model)
    before = world.keys(f"models/{model}/")

    assert world.invoke(event)["status"] == "rejected"

    [report] = [r for r in world.reports() if r["source"]["key"] == event["detail"]["object"]["key"]]
    assert {(p["path"], p["code"]) for p in report["problems"]} == expected
    assert all(p["found"] and p["allowed"] for p in report["problems"])
    assert world.keys("baselines/") == [] and world.keys(f"models/{model}/") == before
    assert world.all_package_count() == 0
    world.events()
    world.notifications()


def test_register_modules_load_without_pyarrow_until_a_parquet_baseline_is_read() -> None:
    code = (
        "import sys, lambdas.register.handler, lambdas.register.service, lambdas.register.baseline; "
        "sys.exit(1 if 'pyarrow' in sys.modules else 0)"
    )
    env = {"AWS_REGION": "us-east-1", "POWERTOOLS_TRACE_DISABLED": "1", "PATH": "/usr/bin:/bin"}

    result = subprocess.run(
        [sys.executable, "-c", code], check=False, env=env, capture_output=True, cwd=REPO_ROOT
    )

    assert result.returncode == 0, result.stderr.decode()


def test_a_parquet_baseline_with_too_many_values_is_rejected_before_it_is_read(
    shared_registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mlops_drift.baseline_parquet as parquet

    monkeypatch.setattr(parquet, "MAX_PARQUET_VALUES", 120 * 3 - 1)  # 120 rows x 3 profiled columns, less one
    world, model = shared_registry, "parquet-too-many-values"
    key = f"models/{model}/v1/baseline.parquet"
    world.put(key, GOOD)
    manifest = valid_manifest(model=model)
    manifest["monitoring"] = {"enabled": True, "baseline_dataset_key": key, "target_column": "churned"}
    event = world.upload(manifest, good_model(), model=model)

    assert world.invoke(event)["status"] == "rejected"

    [report] = [r for r in world.reports() if r["source"]["key"] == event["detail"]["object"]["key"]]
    [problem] = report["problems"]
    assert (problem["path"], problem["code"]) == (DATASET, "baseline_too_many_values")
    assert "120 rows x 3 columns = 360 values" in problem["found"]
    assert "representative sample" in problem["allowed"]
    world.events()
    world.notifications()
