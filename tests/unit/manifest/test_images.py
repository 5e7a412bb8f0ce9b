"""Built-in image resolution from the committed table."""

from __future__ import annotations

import pytest

from mlops_manifest import Problem, processor_for, resolve_image, supported_versions


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
