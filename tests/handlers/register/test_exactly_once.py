"""Exactly once: repeated deliveries register one version; distinct versions of a model all register."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.handlers.register import artifacts as a
from tests.handlers.register.conftest import EVENTS_DIR, Registry, valid_manifest


def test_ten_identical_events_create_one_package(registry: Registry) -> None:
    artifact = a.good_model()
    event = registry.upload(valid_manifest(artifact=artifact), artifact)

    outcomes = [registry.invoke(event) for _ in range(10)]

    assert len(registry.packages()) == 1
    assert {o["model_package_arn"] for o in outcomes} == {outcomes[0]["model_package_arn"]}
    assert len(registry.events("ModelRegistered")) == 1


def test_same_manifest_uploaded_again_is_already_registered(registry: Registry) -> None:
    artifact = a.good_model()
    first = registry.invoke(registry.upload(valid_manifest(artifact=artifact), artifact))

    again = registry.invoke(
        registry.upload(valid_manifest(artifact=artifact), artifact)
    )  # a new object version, same content

    assert again == {**first, "status": "already_registered"}
    assert len(registry.packages()) == 1


def test_two_versions_back_to_back_both_register(registry: Registry) -> None:
    one, two = a.good_model(), a.sklearn_model(a.file_member("v2.txt", b"v2 weights"))

    first = registry.invoke(registry.upload(valid_manifest(version="v1", artifact=one), one, version="v1"))
    second = registry.invoke(registry.upload(valid_manifest(version="v2", artifact=two), two, version="v2"))

    assert first["status"] == second["status"] == "registered"
    labels = sorted(p["CustomerMetadataProperties"]["mlops:model-version"] for p in registry.packages())
    assert labels == ["v1", "v2"]


def test_two_versions_concurrently_both_register(registry: Registry) -> None:
    versions = {"v1": a.good_model(), "v2": a.sklearn_model(a.file_member("v2.txt", b"v2 weights"))}
    events = [
        registry.upload(valid_manifest(version=v, artifact=art), art, version=v)
        for v, art in versions.items()
    ]

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(registry.invoke, events))

    assert [o["status"] for o in outcomes] == ["registered", "registered"]
    assert len(registry.packages()) == 2


def test_event_that_is_not_an_s3_upload_raises(registry: Registry) -> None:
    event = json.loads((EVENTS_DIR / "register_not_s3.json").read_text())
    with pytest.raises(ValueError, match="not an S3 Object Created event"):
        registry.invoke(event)
    assert registry.reports() == []
