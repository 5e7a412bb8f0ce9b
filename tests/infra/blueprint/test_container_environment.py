"""The blueprint model's container environment: each variable through its own parameter, absent when unset."""

from __future__ import annotations

import re

import pytest

from tests.infra.blueprint.conftest import ENDPOINT_TYPES, the_one

MODEL = "AWS::SageMaker::Model"
NO_VALUE = {"Ref": "AWS::NoValue"}
# Container variable -> the blueprint parameter the resolve step fills from the registered package.
PASSED = {
    "SAGEMAKER_INFERENCE_INPUT": "ContainerInferenceInput",
    "SAGEMAKER_INFERENCE_OUTPUT": "ContainerInferenceOutput",
    "SAGEMAKER_INFERENCE_SUPPORTED": "ContainerInferenceSupported",
    "SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT": "ContainerDefaultAccept",
    "MAX_CONTENT_LENGTH": "ContainerMaxContentLength",
    "MODEL_NAME": "ContainerModelName",
    "SAGEMAKER_CONTAINER_LOG_LEVEL": "ContainerLogLevel",
}


def unset_or_none(parameter: str) -> dict:
    ref = {"Ref": parameter}
    return {"Fn::Not": [{"Fn::Or": [{"Fn::Equals": [ref, ""]}, {"Fn::Equals": [ref, "none"]}]}]}


def environment(document: dict) -> tuple[str, dict, dict]:
    condition, when_any, otherwise = the_one(document, MODEL)["Properties"]["PrimaryContainer"][
        "Environment"
    ]["Fn::If"]
    return condition, when_any, otherwise


@pytest.mark.parametrize("kind", ENDPOINT_TYPES)
def test_the_environment_is_omitted_unless_some_variable_is_set(blueprints, kind):
    document = blueprints.json(kind)
    condition, _, otherwise = environment(document)
    assert otherwise == NO_VALUE
    expected = ["HasServingProgram", *(f"Has{parameter}" for parameter in PASSED.values())]
    assert document["Conditions"][condition] == {"Fn::Or": [{"Condition": name} for name in expected]}


@pytest.mark.parametrize("kind", ENDPOINT_TYPES)
def test_each_listed_variable_is_its_parameter_or_absent(blueprints, kind):
    document = blueprints.json(kind)
    _, variables, _ = environment(document)
    for name, parameter in PASSED.items():
        assert variables[name] == {"Fn::If": [f"Has{parameter}", {"Ref": parameter}, NO_VALUE]}
        assert document["Conditions"][f"Has{parameter}"] == unset_or_none(parameter)


@pytest.mark.parametrize("kind", ENDPOINT_TYPES)
def test_the_entry_point_brings_the_code_directory_and_nothing_else_is_set(blueprints, kind):
    document = blueprints.json(kind)
    _, variables, _ = environment(document)
    assert variables.pop("SAGEMAKER_PROGRAM") == {
        "Fn::If": ["HasServingProgram", {"Ref": "ServingProgram"}, NO_VALUE]
    }
    assert variables.pop("SAGEMAKER_SUBMIT_DIRECTORY") == {
        "Fn::If": ["HasServingProgram", "/opt/ml/model/code", NO_VALUE]
    }
    assert set(variables) == set(PASSED)
    assert document["Conditions"]["HasServingProgram"] == unset_or_none("ServingProgram")


@pytest.mark.parametrize("kind", ENDPOINT_TYPES)
def test_container_parameters_default_to_unset_and_refuse_what_breaks_the_pipeline_json(blueprints, kind):
    parameters = blueprints.json(kind)["Parameters"]
    for parameter in PASSED.values():
        spec = parameters[parameter]
        assert (spec["Type"], spec["Default"]) == ("String", "none")
        pattern = re.compile(spec["AllowedPattern"])
        assert pattern.fullmatch("predicted_label, probability")
        for refused in ('a"b', "a\\b", "", "line\nbreak", "x" * 257):
            assert not pattern.fullmatch(refused), refused
