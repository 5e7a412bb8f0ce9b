"""The batch workflow's check: only a package registration recorded runs in batch, as it was recorded."""

from __future__ import annotations

from typing import Any

import pytest

from lambdas.resolve_package import handler
from lambdas.resolve_package.batch import UnregisteredPackageError
from tests.handlers.fakes import FakeContext
from tests.handlers.resolve_package.conftest import IMAGE, SEALED_URL, SETTINGS, UNSET_CONTAINER, Registered

OTHER_IMAGE = "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.3-cpu-py311"


def labelled(
    registered: Registered,
    image: str,
    url: str,
    label: str | None = "v1",
    environment: dict[str, str] | None = None,
) -> str:
    """A package in churn-model's group carrying the version label registration puts on its packages."""
    container = {"Image": image, "ModelDataUrl": url} | ({"Environment": environment} if environment else {})
    spec = {
        "Containers": [container],
        "SupportedContentTypes": ["text/csv"],
        "SupportedResponseMIMETypes": ["text/csv"],
    }
    metadata = {"CustomerMetadataProperties": {"mlops:model-version": label}} if label else {}
    arn: str = registered.sm.create_model_package(
        ModelPackageGroupName="churn-model", InferenceSpecification=spec, **metadata
    )["ModelPackageArn"]
    return arn


@pytest.fixture
def batch(registered: Registered) -> Any:
    handler.runtime.override(SETTINGS, registered.clients())
    yield registered
    handler.runtime.reset()


def check(event: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = handler.lambda_handler(event, FakeContext(function_name="resolve-package"))
    return result


def test_a_registered_package_is_answered_with_its_recorded_image_and_artifact(batch):
    arn = labelled(batch, IMAGE, SEALED_URL)
    batch.write_record(model_package_arn=arn)
    assert check({"modelPackageArn": arn}) == {
        "ImageUri": IMAGE,
        "ModelDataUrl": SEALED_URL,
    } | UNSET_CONTAINER | {
        "Environment": {},
        "ModelName": "churn-model",  # the package's group: the run's data folders are named after it
    }


def test_a_recorded_entry_point_becomes_the_models_container_environment(batch):
    # Given: a version registration recorded with a script-mode entry point
    entry_point = {"SAGEMAKER_PROGRAM": "serve.py", "SAGEMAKER_SUBMIT_DIRECTORY": "/opt/ml/model/code"}
    arn = labelled(batch, IMAGE, SEALED_URL, environment=entry_point)
    batch.write_record(model_package_arn=arn, serving_program="serve.py")
    # Then: the workflow's model gets exactly the environment the endpoint blueprint would set
    assert check({"modelPackageArn": arn})["Environment"] == {
        "SAGEMAKER_PROGRAM": "serve.py",
        "SAGEMAKER_SUBMIT_DIRECTORY": "/opt/ml/model/code",
    }


def test_recorded_container_variables_reach_the_batch_models_environment(batch):
    # Given: a package (and its record) carrying an Autopilot candidate's listed variables
    variables = {"SAGEMAKER_INFERENCE_OUTPUT": "predicted_label", "MODEL_NAME": "ensemble"}
    arn = labelled(batch, IMAGE, SEALED_URL, environment=variables)
    batch.write_record(model_package_arn=arn, environment=variables)
    # Then: the transform job's model gets them, as an endpoint of the package would
    assert check({"modelPackageArn": arn})["Environment"] == variables


def test_a_hand_made_package_around_the_registered_bytes_is_refused(batch):
    # Given: the registered package, and a forged one in the same group naming the same label and artifact
    batch.write_record(model_package_arn=labelled(batch, IMAGE, SEALED_URL))
    forged = labelled(batch, OTHER_IMAGE, SEALED_URL)
    # When / Then: the forged one fails the workflow, naming the registered package and the other image
    with pytest.raises(UnregisteredPackageError) as refused:
        check({"modelPackageArn": forged})
    assert "the registered package of churn-model v1 is arn:" in str(refused.value)
    assert OTHER_IMAGE in str(refused.value)


def test_a_rejected_package_is_refused(batch):
    arn = labelled(batch, IMAGE, SEALED_URL)
    batch.write_record(model_package_arn=arn)
    # (moto forgets the metadata on update unless it is given again)
    label = {"mlops:model-version": "v1"}
    batch.sm.update_model_package(
        ModelPackageArn=arn, ModelApprovalStatus="Rejected", CustomerMetadataProperties=label
    )
    with pytest.raises(UnregisteredPackageError, match="rejected in the model registry"):
        check({"modelPackageArn": arn})


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        ({}, "names no modelPackageArn"),
        ({"modelPackageArn": ["not", "a", "string"]}, "names no modelPackageArn"),
        (
            {"modelPackageArn": "arn:aws:sagemaker:us-east-1:123456789012:model-package/churn-model/99"},
            "there is no model package",
        ),
    ],
)
def test_input_without_a_usable_package_is_refused_in_words(batch, event, reason):
    with pytest.raises(UnregisteredPackageError, match=reason):
        check(event)


def test_a_package_without_a_version_label_is_refused(batch):
    arn = labelled(batch, IMAGE, SEALED_URL, label=None)
    with pytest.raises(UnregisteredPackageError, match="no registered model name and version label"):
        check({"modelPackageArn": arn})
