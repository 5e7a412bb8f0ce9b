"""What is allowed is said in plain words: no pydantic framing ("Input should be"), no Python enum reprs."""

from __future__ import annotations

from typing import Any

import pytest

from mlops_manifest import Problem
from tests.manifest_samples import minimal_manifest as minimal
from tests.unit.manifest.reading import problems


def problem_at(doc: dict[str, Any], path: str) -> Problem:
    refused = problems(doc)
    found = [p for p in refused if p.path == path]
    assert found, f"no problem at {path}: {refused}"
    return found[0]


CASES = [
    ("initial_instance_count", {"type": "realtime", "initial_instance_count": 0}, "a number of at least 1"),
    ("instance count text", {"type": "realtime", "initial_instance_count": "two"}, "a whole number"),
    ("instance count fraction", {"type": "realtime", "initial_instance_count": 1.5}, "a whole number"),
]


@pytest.mark.parametrize(("label", "inference", "words"), CASES, ids=[c[0] for c in CASES])
def test_inference_bounds_and_types_in_words(label: str, inference: dict[str, Any], words: str) -> None:
    problem = problem_at(minimal(inference=inference), "inference.initial_instance_count")

    assert words in problem.allowed
    assert "Input should" not in problem.allowed


def test_unknown_inference_type_names_the_type_field_and_the_allowed_types() -> None:
    problem = problem_at(minimal(inference={"type": "streaming"}), "inference.type")

    assert problem.found == "'streaming'"
    assert problem.allowed == "one of 'realtime', 'serverless', 'async', 'batch'"
    assert "<" not in problem.allowed  # no enum repr such as <InferenceType.REALTIME: 'realtime'>


def test_missing_extra_and_wrong_json_types_in_words() -> None:
    doc = minimal(surprise=1, tags=[1], supported_content_types=[])
    del doc["owner"]
    by_path = {p.path: p for p in problems(doc)}

    assert by_path["owner"].allowed == "this field is required"
    assert "no field of this name" in by_path["surprise"].allowed
    assert by_path["tags"].allowed == "an object ({...})"
    assert by_path["supported_content_types"].allowed == "a list of at least 1 item(s)"


def test_enum_choices_are_listed_after_one_of() -> None:
    problem = problem_at(minimal(deployment={"strategy": "yolo"}), "deployment.strategy")

    assert problem.allowed.startswith("one of 'all_at_once'")
