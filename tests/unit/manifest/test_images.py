"""Built-in image resolution from the committed table."""

from __future__ import annotations

import json

import pytest

from mlops_manifest import (
    Manifest,
    Problem,
    processor_for,
    resolve_image,
    supported_versions,
    validate_manifest,
)
from mlops_manifest.serving_image import serving_image


@pytest.mark.parametrize(
    ("framework", "version", "region", "processor", "expected"),
    [
        (
            "sklearn",
            "1.2-1",
            "eu-west-1",
            "cpu",
            "141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3",
        ),
        (
            "xgboost",
            "1.7-1",
            "us-east-1",
            "cpu",
            "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
        ),
        (
            "pytorch",
            "2.1",
            "us-west-2",
            "gpu",
            "763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-inference:2.1.0-gpu-py310",
        ),
        (
            "tensorflow",
            "2.13.0",
            "us-east-1",
            "cpu",
            "763104351884.dkr.ecr.us-east-1.amazonaws.com/tensorflow-inference:2.13.0-cpu",
        ),
        (
            "pytorch",
            "2.1.0",
            "cn-north-1",
            "cpu",
            "727897471807.dkr.ecr.cn-north-1.amazonaws.com.cn/pytorch-inference:2.1.0-cpu-py310",
        ),
    ],
)
def test_known_images_resolve(
    framework: str, version: str, region: str, processor: str, expected: str
) -> None:
    assert resolve_image(framework, version, region, processor) == expected


def test_unsupported_version_lists_supported_ones() -> None:
    problem = resolve_image("sklearn", "0.1", "us-east-1", "cpu")

    assert isinstance(problem, Problem) and problem.path == "framework_version"
    assert "1.2-1" in problem.allowed and "0.23-1" in problem.allowed


def test_cpu_only_framework_on_gpu_is_a_problem() -> None:
    problem = resolve_image("sklearn", "1.2-1", "us-east-1", "gpu")

    assert isinstance(problem, Problem) and problem.path == "inference.instance_type"


def test_unknown_region_is_a_problem() -> None:
    assert isinstance(resolve_image("sklearn", "1.2-1", "mars-north-1", "cpu"), Problem)


@pytest.mark.parametrize(
    ("instance", "processor"),
    [
        ("ml.g5.xlarge", "gpu"),
        ("ml.p4d.24xlarge", "gpu"),
        ("ml.m5.large", "cpu"),
        ("ml.c7g.large", "cpu"),
        (None, "cpu"),
    ],
)
def test_processor_follows_instance_family(instance: str | None, processor: str) -> None:
    assert processor_for(instance) == processor


def test_every_framework_has_versions() -> None:
    for framework in ("sklearn", "xgboost", "pytorch", "tensorflow", "huggingface"):
        assert supported_versions(framework), framework


def _manifest(**changes: object) -> Manifest:
    raw = {
        "schema_version": "1",
        "model_name": "churn",
        "version": "1",
        "artifact": {"file_name": "model.tar.gz", "sha256": "a" * 64},
        "owner": "data-science@example.com",
        "inference": {"type": "realtime", "instance_type": "ml.m5.large"},
        **changes,
    }
    parsed = validate_manifest(json.dumps(raw).encode())
    assert isinstance(parsed, Manifest), parsed
    return parsed


def test_a_framework_manifest_is_served_by_the_region_s_framework_image() -> None:
    manifest = _manifest(framework="sklearn", framework_version="1.2-1")

    image, problems = serving_image(manifest, "eu-west-1")

    assert problems == []
    assert image is not None and ".dkr.ecr.eu-west-1.amazonaws.com/" in image


def test_a_custom_image_from_another_region_is_a_problem_naming_the_registry_s_region() -> None:
    uri = "123456789012.dkr.ecr.us-west-2.amazonaws.com/model:1"
    image, problems = serving_image(_manifest(image_uri=uri), "eu-west-1", {"123456789012"})

    assert image is None
    assert [(p.path, p.code) for p in problems] == [("image_uri", "image_region")]
    assert "eu-west-1" in problems[0].allowed


def test_a_custom_image_in_the_registry_s_region_is_served_as_given() -> None:
    uri = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/model:1"

    assert serving_image(_manifest(image_uri=uri), "eu-west-1", {"123456789012"}) == (uri, [])
