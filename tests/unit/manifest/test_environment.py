"""The manifest's container environment: patterns, limits, no credentials, only what the blueprint passes."""

from __future__ import annotations

from typing import Any

from mlops_manifest import Manifest
from tests.unit.manifest import reading

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
    return [
        (p.path, p.found, p.code) for p in reading.problems(BASE | changes | {"environment": environment})
    ]


def test_the_entry_point_and_code_directory_the_blueprint_passes_are_accepted() -> None:
    result = reading.check(BASE | {"environment": PROGRAM})

    assert isinstance(result, Manifest) and result.environment["SAGEMAKER_PROGRAM"] == "tabular_serve.py"


# An ensembling-mode Autopilot candidate's container (the variables of AWS's "Configure inference output in
# generated containers" page, plus the model name inside the artifact).
ENSEMBLE = PROGRAM | {
    "MODEL_NAME": "WeightedEnsemble_L3",
    "SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT": "text/csv",
    "SAGEMAKER_INFERENCE_OUTPUT": "predicted_label, probability",
    "SAGEMAKER_INFERENCE_SUPPORTED": "predicted_label,probability,labels,probabilities",
    "SAGEMAKER_INFERENCE_INPUT": "predicted_label",
    "MAX_CONTENT_LENGTH": "20971520",
    "SAGEMAKER_CONTAINER_LOG_LEVEL": "20",
}


def test_an_ensembling_candidates_variables_are_accepted() -> None:
    result = reading.check(BASE | {"environment": ENSEMBLE})

    assert isinstance(result, Manifest), result
    assert result.environment["SAGEMAKER_INFERENCE_OUTPUT"] == "predicted_label, probability"


def test_a_variable_the_blueprint_cannot_pass_is_refused_by_name_with_the_allowed_ones() -> None:
    environment = ENSEMBLE | {"AUTOML_TRANSFORM_MODE": "feature-transform"}
    result = reading.check(BASE | {"environment": environment})

    assert isinstance(result, list)
    (problem,) = result
    assert (problem.path, problem.found, problem.code) == (
        "environment.AUTOML_TRANSFORM_MODE",
        "'AUTOML_TRANSFORM_MODE'",
        "not_deployable",
    )
    for allowed in ("MODEL_NAME", "SAGEMAKER_INFERENCE_OUTPUT", "SAGEMAKER_PROGRAM", "MAX_CONTENT_LENGTH"):
        assert allowed in problem.allowed


def test_a_value_the_pipeline_cannot_carry_is_refused_in_words() -> None:
    result = reading.problems(
        BASE | {"environment": PROGRAM | {"MODEL_NAME": 'a"b', "SAGEMAKER_INFERENCE_INPUT": ""}}
    )

    assert sorted((p.path, p.code) for p in result) == [
        ("environment.MODEL_NAME", "string_pattern_mismatch"),
        ("environment.SAGEMAKER_INFERENCE_INPUT", "string_pattern_mismatch"),
    ]
    assert all("other than double quotes, backslashes and braces" in p.allowed for p in result)


def test_a_value_cloudformation_would_resolve_as_a_dynamic_reference_is_refused() -> None:
    secret = "{{resolve:secretsmanager:prod/db:SecretString:password}}"

    assert problems(PROGRAM | {"MODEL_NAME": secret}) == [
        ("environment.MODEL_NAME", repr(secret), "string_pattern_mismatch")
    ]


def test_the_word_the_pipeline_reads_as_unset_is_refused_as_a_value() -> None:
    found = problems(PROGRAM | {"SAGEMAKER_INFERENCE_OUTPUT": "none"})

    assert found == [("environment.SAGEMAKER_INFERENCE_OUTPUT", "'none'", "not_deployable")]


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
