"""The manifest's container environment: patterns, limits, no credentials, only what the blueprint passes."""

from __future__ import annotations

import json
from typing import Any

from mlops_manifest import Manifest, validate_manifest
from mlops_manifest.problems import Problem

IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"
BASE: dict[str, Any] = {
    "schema_version": "1",
    "model_name": "churn",
    "version": "v1",
    "image_uri": IMAGE,
    "artifact": {"sha256": "a" * 64},
    "owner": "ds@example.com",
}
PROGRAM = {"SAGEMAKER_PROGRAM": "tabular_serve.py", "SAGEMAKER_SUBMIT_DIRECTORY": "/opt/ml/model/code"}


def problems(environment: dict[str, str], **changes: Any) -> list[tuple[str, str, str]]:
    result = validate_manifest(json.dumps(BASE | changes | {"environment": environment}).encode())
    assert isinstance(result, list), "expected problems"
    return [(p.path, p.found, p.code) for p in result if isinstance(p, Problem)]


def test_the_entry_point_and_code_directory_the_blueprint_passes_are_accepted() -> None:
    result = validate_manifest(json.dumps(BASE | {"environment": PROGRAM}).encode())

    assert isinstance(result, Manifest) and result.environment["SAGEMAKER_PROGRAM"] == "tabular_serve.py"


def test_a_variable_the_blueprint_cannot_pass_is_refused_by_name() -> None:
    found = problems(PROGRAM | {"MODEL_NAME": "WeightedEnsemble"})

    assert found == [("environment.MODEL_NAME", "'MODEL_NAME'", "not_deployable")]


def test_another_code_directory_is_refused() -> None:
    found = problems({"SAGEMAKER_PROGRAM": "serve.py", "SAGEMAKER_SUBMIT_DIRECTORY": "/opt/code"})

    assert found == [("environment.SAGEMAKER_SUBMIT_DIRECTORY", "'/opt/code'", "not_deployable")]


def test_a_program_outside_code_is_refused() -> None:
    assert problems({"SAGEMAKER_PROGRAM": "../serve.py"}) == [
        ("environment.SAGEMAKER_PROGRAM", "'../serve.py'", "invalid")
    ]


def test_a_code_directory_without_a_program_is_refused() -> None:
    found = problems({"SAGEMAKER_SUBMIT_DIRECTORY": "/opt/ml/model/code"})

    assert found == [("environment.SAGEMAKER_PROGRAM", "(missing)", "missing")]


def test_credential_names_and_values_are_refused_before_anything_else() -> None:
    found = problems({"DB_PASSWORD": "x", "HOST": "AKIAABCDEFGHIJKLMNOP", "K": "aB3" + "x" * 40})

    assert found == [
        ("environment.DB_PASSWORD", "'DB_PASSWORD'", "secret_like"),
        ("environment.HOST", "a value shaped like a credential", "secret_like"),
        ("environment.K", "a value shaped like a credential", "secret_like"),
    ]


def test_names_and_values_follow_their_patterns() -> None:
    found = problems({"lower": "x", "A": "line\nbreak"})

    assert [(path, code) for path, _, code in found] == [
        ("environment.lower.[key]", "string_pattern_mismatch"),
        ("environment.A", "string_pattern_mismatch"),
    ]


def test_at_most_twenty_variables() -> None:
    found = problems({f"V{i}": "x" for i in range(21)})

    assert [(path, code) for path, _, code in found] == [("environment", "too_long")]


def test_sklearn_sets_its_entry_point_itself() -> None:
    found = problems(PROGRAM, image_uri=None, framework="sklearn", framework_version="1.2-1")

    assert ("environment", "(set)", "environment_conflict") in found
