"""validate_manifest: every problem at once, with a field path, the value found and what is allowed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlops_manifest import Manifest, validate_manifest
from mlops_manifest.inference import InferenceType
from mlops_manifest.problems import loc_to_path
from tests.manifest_samples import minimal_manifest as minimal
from tests.unit.manifest.reading import check, problems, problems_of

SHA = "a" * 64


def test_minimal_manifest_gets_defaults() -> None:
    manifest = check(minimal())

    assert isinstance(manifest, Manifest)
    assert manifest.inference.type == "realtime"
    assert manifest.deployment.strategy == "all_at_once"
    assert manifest.artifact.file_name == "model.tar.gz"
    assert manifest.data_capture.enabled and manifest.data_capture.sampling_percent == 20


def test_all_field_problems_are_reported_not_the_first() -> None:
    doc = minimal(
        model_name="bad name",
        version="",
        inference={"type": "serverless", "memory_size_mb": 512, "max_concurrency": 0},
    )
    del doc["owner"]

    assert {p.path for p in problems(doc)} == {
        "model_name",
        "version",
        "owner",
        "inference.memory_size_mb",
        "inference.max_concurrency",
    }


def test_cross_field_problems_are_all_reported() -> None:
    doc = minimal(
        image_uri="123456789012.dkr.ecr.us-east-1.amazonaws.com/m:1",
        inference={"type": "serverless"},
        deployment={"strategy": "linear"},
        tags={"aws:x": "1"},
    )

    found = problems(doc)

    assert {p.code for p in found} == {"image_source", "strategy_unsupported", "reserved_tag"}
    [strategy] = [p for p in found if p.code == "strategy_unsupported"]
    assert "serverless" in strategy.allowed and "all_at_once" in strategy.allowed


@pytest.mark.parametrize("kind", list(InferenceType))
def test_a_problem_inside_any_inference_type_is_named_without_the_union_tag(kind: InferenceType) -> None:
    # pydantic puts the union's tag in the error location; the path a person fixes has no such level.
    doc = minimal(inference={"type": kind.value, "surprise": 1})

    assert {p.path for p in problems(doc)} == {"inference.surprise"}


def test_async_allows_canary() -> None:
    doc = minimal(inference={"type": "async"}, deployment={"strategy": "canary"})
    assert isinstance(check(doc), Manifest)


def test_numbers_are_not_coerced_from_strings() -> None:
    assert [p.code for p in problems(minimal(data_capture={"sampling_percent": "50"}))] == ["int_type"]


def test_capture_content_type_lists_may_not_be_empty() -> None:
    # An empty list would reach the blueprint as an empty CaptureContentTypeHeader, which SageMaker rejects.
    doc = minimal(data_capture={"csv_content_types": [], "json_content_types": []})
    assert problems_of(doc) == {
        ("data_capture.csv_content_types", "too_short"),
        ("data_capture.json_content_types", "too_short"),
    }


def test_serverless_memory_steps() -> None:
    for memory in (1024, 3072, 6144):
        assert isinstance(
            check(minimal(inference={"type": "serverless", "memory_size_mb": memory})), Manifest
        )
    for memory in (1023, 1536, 7168):
        assert isinstance(check(minimal(inference={"type": "serverless", "memory_size_mb": memory})), list)


def test_monitoring_conflicts() -> None:
    doc = minimal(
        monitoring={
            "enabled": True,
            "baseline_dataset_key": "datasets/b.csv",
            "header_row": True,
            "features": [{"name": "a", "type": "numeric"}, {"name": "a", "type": "numeric"}],
            "target_column": "a",
        },
        data_capture={"enabled": False},
    )
    assert problems_of(doc) == {
        ("monitoring.features", "duplicate"),
        ("monitoring.target_column", "conflict"),
        ("data_capture.enabled", "monitoring_needs_capture"),
    }


def test_union_tag_is_not_part_of_the_path() -> None:
    assert loc_to_path(("inference", "serverless", "memory_size_mb")) == "inference.memory_size_mb"
    assert loc_to_path(("tags", 0)) == "tags[0]"
    assert loc_to_path(()) == "$"


@settings(max_examples=300, deadline=None)
@given(
    st.binary(max_size=200)
    | st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
        max_leaves=20,
    ).map(lambda v: json.dumps(v).encode())
)
def test_arbitrary_input_never_raises(raw: bytes) -> None:
    result = validate_manifest(raw)
    assert isinstance(result, Manifest) or (isinstance(result, list) and len(result) >= 1)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(minimal())), st.text(max_size=10) | st.integers() | st.none()))
def test_partial_overrides_never_raise(overrides: dict[str, Any]) -> None:
    result = check(minimal(**overrides))
    assert isinstance(result, Manifest) or (isinstance(result, list) and all(p.path for p in result))
