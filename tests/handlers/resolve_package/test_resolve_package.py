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
    Registered,
)

EVIL_IMAGE = "111122223333.dkr.ecr.us-east-1.amazonaws.com/evil:latest"


def test_the_registered_package_resolves_to_its_recorded_image_and_sealed_artifact(registered: Registered):
    verdict = resolve(registered.job(), registered.clients(), SETTINGS)

    assert verdict.passed, verdict.message
    assert verdict.output_variables == {
        "ImageUri": IMAGE,
        "ModelDataUrl": SEALED_URL,
        "ServingProgram": "none",
    }


def test_a_script_mode_model_hands_its_entry_point_to_the_deploy_action(registered: Registered):
    registered.write_record(model_package_arn=registered.arn, serving_program="inference.py")

    verdict = resolve(registered.job(), registered.clients(), SETTINGS)

    assert verdict.output_variables is not None
    assert verdict.output_variables["ServingProgram"] == "inference.py"


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
