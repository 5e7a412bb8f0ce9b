"""Rejections that need a world of their own: bad key shapes, version conflicts, report content."""

from __future__ import annotations

import json

from tests.handlers.register import artifacts as a
from tests.handlers.register.conftest import Registry, valid_manifest


def test_manifest_under_wrong_key_shape_is_rejected(registry: Registry) -> None:
    artifact = a.good_model()
    registry.put("models/churn-model/model.tar.gz", artifact)
    event = registry.upload(valid_manifest(artifact=artifact), key="models/churn-model/manifest.json")

    outcome = registry.invoke(event)

    assert outcome["status"] == "rejected"
    [report] = registry.reports()
    assert {(p["path"], p["code"]) for p in report["problems"]} == {("source_key", "bad_key")}
    assert (
        registry.s3.list_objects_v2(Bucket="registry-bucket", Prefix="rejected/_unknown/_unknown/")[
            "KeyCount"
        ]
        == 1
    )


def test_same_version_with_different_digest_is_rejected(registry: Registry) -> None:
    first, second = a.good_model(), a.sklearn_model(a.file_member("notes.txt", b"retrained"))
    assert registry.invoke(registry.upload(valid_manifest(artifact=first), first))["status"] == "registered"

    outcome = registry.invoke(registry.upload(valid_manifest(artifact=second), second))

    assert outcome["status"] == "rejected"
    [report] = registry.reports()
    assert {(p["path"], p["code"]) for p in report["problems"]} == {("version", "version_conflict")}
    assert len(registry.packages()) == 1


def test_report_lists_found_and_allowed_for_each_problem(registry: Registry) -> None:
    manifest = valid_manifest()
    manifest["inference"] = {"type": "serverless", "memory_size_mb": 1000}
    registry.invoke(registry.upload(manifest, a.good_model()))

    [report] = registry.reports()
    [problem] = report["problems"]
    assert problem["found"] == "1000"
    assert "1024" in problem["allowed"] and "6144" in problem["allowed"]
    assert json.loads(json.dumps(report)) == report
