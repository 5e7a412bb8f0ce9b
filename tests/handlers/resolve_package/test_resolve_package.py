"""Given an execution's model package, the stage deploys what registration recorded for it, or nothing."""

from __future__ import annotations

import pytest

from lambdas.resolve_package.service import resolve
from tests.handlers.resolve_package.conftest import (
    ARTIFACT,
    BUCKET,
    IMAGE,
    SEALED_URL,
    SETTINGS,
    SHA,
    UNSET_CONTAINER,
    Registered,
)
from tests.manifest_samples import AUTOPILOT_CANDIDATE_ENVIRONMENT

EVIL_IMAGE = "111122223333.dkr.ecr.us-east-1.amazonaws.com/evil:latest"
SCRIPT_MODE = {"SAGEMAKER_PROGRAM": "inference.py", "SAGEMAKER_SUBMIT_DIRECTORY": "/opt/ml/model/code"}
CANDIDATE = AUTOPILOT_CANDIDATE_ENVIRONMENT


def test_the_registered_package_resolves_to_its_recorded_image_and_sealed_artifact(registered: Registered):
    verdict = resolve(registered.job(), registered.clients(), SETTINGS)

    assert verdict.passed, verdict.message
    assert verdict.output_variables == {"ImageUri": IMAGE, "ModelDataUrl": SEALED_URL} | UNSET_CONTAINER


def test_a_script_mode_model_hands_its_entry_point_to_the_deploy_action(registered: Registered):
    # Given a package registered before records kept the environment: the entry point's variables only
    arn = registered.package(IMAGE, SEALED_URL, environment=SCRIPT_MODE)
    registered.write_record(model_package_arn=arn, serving_program="inference.py")

    verdict = resolve(registered.job(model_package_arn=arn), registered.clients(), SETTINGS)

    assert verdict.output_variables is not None, verdict.message
    assert verdict.output_variables["ServingProgram"] == "inference.py"


def test_an_automl_candidates_variables_come_from_its_package(registered: Registered):
    # Given an ensembling candidate registered with its container's variables
    arn = registered.package(IMAGE, SEALED_URL, environment=CANDIDATE)
    registered.write_record(model_package_arn=arn, environment=CANDIDATE)

    verdict = resolve(registered.job(model_package_arn=arn), registered.clients(), SETTINGS)

    # Then each reaches the blueprint parameter that passes it; what the package lacks stays unset
    assert verdict.passed, verdict.message
    assert verdict.output_variables == {
        "ImageUri": IMAGE,
        "ModelDataUrl": SEALED_URL,
        "ServingProgram": "tabular_serve.py",
        "ContainerInferenceInput": "none",
        "ContainerInferenceOutput": "predicted_label, probability",
        "ContainerInferenceSupported": "predicted_label,probability,labels,probabilities",
        "ContainerDefaultAccept": "text/csv",
        "ContainerMaxContentLength": "none",
        "ContainerModelName": "WeightedEnsemble_L3",
        "ContainerLogLevel": "none",
    }


def test_a_package_whose_environment_is_not_the_registered_one_is_refused(registered: Registered):
    # Given a record of the candidate's variables, and a package (named by the record) that changed one
    changed = CANDIDATE | {"SAGEMAKER_INFERENCE_OUTPUT": "probabilities"}
    arn = registered.package(IMAGE, SEALED_URL, environment=changed)
    registered.write_record(model_package_arn=arn, environment=CANDIDATE)

    verdict = resolve(registered.job(model_package_arn=arn), registered.clients(), SETTINGS)

    assert not verdict.passed and verdict.output_variables is None
    assert "SAGEMAKER_INFERENCE_OUTPUT=probabilities" in verdict.message
    assert "is not the registered" in verdict.message
    assert "SAGEMAKER_INFERENCE_OUTPUT=predicted_label, probability" in verdict.message


def test_a_package_without_the_registered_variables_is_refused(registered: Registered):
    arn = registered.package(IMAGE, SEALED_URL)
    registered.write_record(model_package_arn=arn, environment=CANDIDATE)

    verdict = resolve(registered.job(model_package_arn=arn), registered.clients(), SETTINGS)

    assert not verdict.passed
    assert "the package's container environment (none) is not the registered" in verdict.message


def test_a_variable_the_blueprint_cannot_pass_is_refused_even_when_recorded(registered: Registered):
    unknown = CANDIDATE | {"AUTOML_TRANSFORM_MODE": "feature-transform"}
    arn = registered.package(IMAGE, SEALED_URL, environment=unknown)
    registered.write_record(model_package_arn=arn, environment=unknown)

    verdict = resolve(registered.job(model_package_arn=arn), registered.clients(), SETTINGS)

    assert not verdict.passed
    assert (
        "the endpoint blueprint cannot pass the container variables AUTOML_TRANSFORM_MODE" in verdict.message
    )


def test_a_package_registration_did_not_create_is_refused(registered: Registered):
    forged = registered.package(EVIL_IMAGE, SEALED_URL)

    verdict = resolve(registered.job(model_package_arn=forged), registered.clients(), SETTINGS)

    assert not verdict.passed
    assert verdict.output_variables is None
    assert f"the registered package of churn-model v1 is {registered.arn}" in verdict.message
    assert EVIL_IMAGE in verdict.message


def test_a_version_that_was_never_registered_is_refused(registered: Registered):
    verdict = resolve(registered.job(model_version="v9"), registered.clients(), SETTINGS)

    assert not verdict.passed
    assert "churn-model v9 was never registered" in verdict.message


def test_a_package_that_does_not_exist_is_refused(registered: Registered):
    missing = registered.arn.rsplit("/", 1)[0] + "/99"

    verdict = resolve(registered.job(model_package_arn=missing), registered.clients(), SETTINGS)

    assert not verdict.passed
    assert f"there is no model package {missing}" in verdict.message


def test_a_rejected_package_is_not_deployed(registered: Registered):
    registered.sm.update_model_package(ModelPackageArn=registered.arn, ModelApprovalStatus="Rejected")

    verdict = resolve(registered.job(), registered.clients(), SETTINGS)

    assert not verdict.passed
    assert "rejected in the model registry" in verdict.message


def test_a_record_pointing_outside_the_sealed_prefix_is_refused(registered: Registered):
    upload = f"s3://{BUCKET}/models/churn-model/v1/model.tar.gz"
    arn = registered.package(IMAGE, upload)
    registered.write_record(model_package_arn=arn, model_data_url=upload)

    verdict = resolve(registered.job(model_package_arn=arn), registered.clients(), SETTINGS)

    assert not verdict.passed
    assert f"is not the sealed copy s3://{BUCKET}/artifacts/sha256/{SHA}/model.tar.gz" in verdict.message


@pytest.mark.parametrize("metadata", [{}, {"sha256": "0" * 64}])
def test_a_sealed_artifact_without_its_digest_is_refused(registered: Registered, metadata):
    key = f"artifacts/sha256/{SHA}/model.tar.gz"
    registered.s3.put_object(Bucket=BUCKET, Key=key, Body=ARTIFACT + b"!", Metadata=metadata)

    verdict = resolve(registered.job(), registered.clients(), SETTINGS)

    assert not verdict.passed
    assert "does not carry its recorded digest" in verdict.message


def test_a_missing_sealed_artifact_is_refused(registered: Registered):
    registered.s3.delete_object(Bucket=BUCKET, Key=f"artifacts/sha256/{SHA}/model.tar.gz")

    verdict = resolve(registered.job(), registered.clients(), SETTINGS)

    assert not verdict.passed
    assert "is missing" in verdict.message
