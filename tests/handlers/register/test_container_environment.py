"""Given a manifest with container variables (an AutoML candidate's), the package and its record keep them."""

from __future__ import annotations

import json
from typing import Any

from tests.handlers.register.artifacts import good_model
from tests.handlers.register.conftest import BUCKET, Registry, valid_manifest
from tests.manifest_samples import AUTOPILOT_CANDIDATE_ENVIRONMENT

IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"
CANDIDATE = AUTOPILOT_CANDIDATE_ENVIRONMENT


def candidate_manifest(environment: dict[str, str]) -> dict[str, Any]:
    manifest = valid_manifest()
    del manifest["framework"], manifest["framework_version"]
    return manifest | {"image_uri": IMAGE, "environment": environment}


def test_the_package_container_carries_every_variable_of_the_candidate(registry: Registry) -> None:
    outcome = registry.invoke(registry.upload(candidate_manifest(CANDIDATE), good_model()))

    assert outcome["status"] == "registered", outcome
    [package] = registry.packages()
    assert package["InferenceSpecification"]["Containers"][0]["Environment"] == CANDIDATE


def test_the_record_keeps_the_environment_the_package_was_given(registry: Registry) -> None:
    registry.invoke(registry.upload(candidate_manifest(CANDIDATE), good_model()))

    body = registry.s3.get_object(Bucket=BUCKET, Key="registrations/churn-model/v1.json")["Body"].read()
    assert json.loads(body)["environment"] == CANDIDATE


def test_a_variable_outside_the_list_registers_nothing_and_is_named(registry: Registry) -> None:
    environment = CANDIDATE | {"AUTOML_TRANSFORM_MODE": "feature-transform"}

    outcome = registry.invoke(registry.upload(candidate_manifest(environment), good_model()))

    assert outcome["status"] == "rejected"
    assert registry.packages() == []
    [report] = registry.reports()
    [problem] = report["problems"]
    assert problem["path"] == "environment.AUTOML_TRANSFORM_MODE"
    assert "SAGEMAKER_INFERENCE_OUTPUT" in problem["allowed"]
