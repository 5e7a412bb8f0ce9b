"""Given a bad or missing baseline, the upload is rejected with the exact problems, alongside any others."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from typing import Any

from tests.handlers.register import baselines as b
from tests.handlers.register.artifacts import good_model
from tests.handlers.register.cases import assert_refused, each_case
from tests.handlers.register.conftest import MAX_BASELINE, Registry, valid_manifest

DATASET = "monitoring.baseline_dataset_key"
STATS = "monitoring.baseline_statistics_key"
FEATURES = "monitoring.features"
GOOD_CSV = b.csv_bytes(b.rows(120))


@dataclass
class Case:
    """A monitoring section, the objects in the model folder (name → bytes), and the problems expected."""

    id: str
    monitoring: dict[str, Any]
    objects: dict[str, bytes]
    expected: set[tuple[str, str]]
    manifest_edits: dict[str, Any] = field(default_factory=dict)


def csv_case(case_id: str, body: bytes | None, expected: set[tuple[str, str]], **monitoring: Any) -> Case:
    """A CSV baseline with a header and the churned target, stored as `baseline.csv` in the model folder."""
    section = {"header_row": True, "target_column": "churned", **monitoring}
    objects = {} if body is None else {"baseline.csv": body}
    return Case(case_id, {"baseline_dataset_key": "{folder}baseline.csv", **section}, objects, expected)


def stats_case(case_id: str, statistics: bytes, expected: set[tuple[str, str]]) -> Case:
    monitoring = {"baseline_statistics_key": "{folder}statistics.json"}
    return Case(case_id, monitoring, {"statistics.json": statistics}, expected)


MIXED = [{**row, "income": "unknown" if i % 3 else row["income"]} for i, row in enumerate(b.rows(120))]
RAGGED = GOOD_CSV + b"1,2\n"
RENAMED = [{**row, "salary": row["income"], "region": "eu"} for row in b.rows(120)]
CASES = [
    Case(
        "outside-allowed-prefixes",
        {"baseline_dataset_key": "shared/b.csv", "header_row": True},
        {},
        {(DATASET, "baseline_prefix")},
    ),
    Case(
        "other-models-folder",
        {"baseline_dataset_key": "models/other/b.csv", "header_row": True},
        {},
        {(DATASET, "baseline_prefix")},
    ),
    csv_case("missing-object", None, {(DATASET, "baseline_missing")}),
    csv_case(
        "over-the-cap", b"a,churned\n" + b"1,0\n" * (MAX_BASELINE // 4), {(DATASET, "baseline_too_large")}
    ),
    csv_case("gzip-not-utf8", gzip.compress(GOOD_CSV), {(DATASET, "baseline_not_utf8")}),
    csv_case("bad-quoting", GOOD_CSV + b'"4"2,1,basic,0\n', {(DATASET, "baseline_not_csv")}),
    csv_case("empty-file", b"", {(DATASET, "baseline_not_csv")}),
    csv_case("ragged-rows", RAGGED, {(DATASET, "baseline_ragged")}),
    csv_case(
        "header-mismatch",
        b.csv_bytes(RENAMED, ("age", "salary", "plan", "region", "churned")),
        {(FEATURES, "baseline_columns_missing"), (FEATURES, "baseline_columns_extra")},
        features=b.FEATURES,
    ),
    csv_case(
        "target-absent",
        b.csv_bytes(b.rows(120), ("age", "income", "plan")),
        {("monitoring.target_column", "baseline_target_missing")},
    ),
    csv_case("too-few-rows", b.csv_bytes(b.rows(99)), {(DATASET, "baseline_too_few_rows")}),
    csv_case(
        "numeric-mostly-text", b.csv_bytes(MIXED), {(FEATURES, "baseline_not_numeric")}, features=b.FEATURES
    ),
    Case(
        "jsonl-not-objects",
        {"baseline_dataset_key": "{folder}b.jsonl", "features": b.FEATURES},
        {"b.jsonl": b.jsonl_bytes(b.rows(120)) + b"[1, 2]\n"},
        {(DATASET, "baseline_not_jsonl")},
    ),
    Case(
        "jsonl-missing-feature",
        {
            "baseline_dataset_key": "{folder}b.jsonl",
            "features": [*b.FEATURES, {"name": "tenure", "type": "numeric"}],
        },
        {"b.jsonl": b.jsonl_bytes([{k: v for k, v in r.items() if k != "churned"} for r in b.rows(120)])},
        {(FEATURES, "baseline_columns_missing")},
    ),
    stats_case(
        "statistics-not-model-monitor",
        json.dumps({"columns": ["a"]}).encode(),
        {(STATS, "baseline_not_model_monitor")},
    ),
    stats_case("statistics-not-json", b"name,mean\nincome,3\n", {(STATS, "baseline_not_model_monitor")}),
    Case(
        "constraints-missing",
        {"baseline_statistics_key": "{folder}s.json", "baseline_constraints_key": "{folder}c.json"},
        {"s.json": json.dumps(b.model_monitor_statistics(b.rows(120))).encode()},
        {("monitoring.baseline_constraints_key", "baseline_missing")},
    ),
    Case(
        "baseline-and-artifact-problems",
        {"baseline_dataset_key": "{folder}baseline.csv", "header_row": True, "target_column": "label"},
        {"baseline.csv": b.csv_bytes(b.rows(50))},
        {
            ("monitoring.target_column", "baseline_target_missing"),
            (DATASET, "baseline_too_few_rows"),
            ("artifact.sha256", "digest_mismatch"),
        },
        {"artifact.sha256": "0" * 64},
    ),
]


def _manifest(case: Case, model: str) -> dict[str, Any]:
    manifest = valid_manifest(model=model)
    folder = f"models/{model}/v1/"
    section = {
        k: v.replace("{folder}", folder) if isinstance(v, str) else v for k, v in case.monitoring.items()
    }
    manifest["monitoring"] = {"enabled": True, **section}
    for path, value in case.manifest_edits.items():
        parent, key = path.split(".")
        manifest[parent][key] = value
    return manifest


@each_case(CASES, "baseline")
def test_bad_baseline_is_rejected_with_its_problems(
    shared_registry: Registry, model: str, case: Case
) -> None:
    world = shared_registry
    for name, body in case.objects.items():
        world.put(f"models/{model}/v1/{name}", body)
    event = world.upload(_manifest(case, model), good_model(), model=model)

    problems = assert_refused(world, event, case.expected)

    assert all(p["found"] for p in problems)
    assert world.keys("baselines/") == []
