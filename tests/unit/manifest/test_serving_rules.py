"""Serving rules: instance types from botocore's SageMaker model, trusted image accounts and partitions."""

from __future__ import annotations

from typing import Any

import pytest

from mlops_manifest import Manifest
from mlops_manifest.image_policy import aws_image_accounts, custom_image_problems, dns_suffix, partition_of
from mlops_manifest.instance_types import InstanceUse, instance_type_problems, known_instance_types
from tests.unit.manifest import reading

BASE: dict[str, Any] = {
    "schema_version": "1",
    "model_name": "churn",
    "version": "v1",
    "framework": "sklearn",
    "framework_version": "1.2-1",
    "artifact": {"sha256": "a" * 64},
    "owner": "ds@example.com",
}


def check(**changes: Any) -> Manifest | list[Any]:
    return reading.check(BASE | changes)


def test_instance_type_lists_come_from_botocore() -> None:
    endpoint, transform = (
        known_instance_types(InstanceUse.ENDPOINT),
        known_instance_types(InstanceUse.TRANSFORM),
    )

    assert len(endpoint) > 200 and "ml.m5.large" in endpoint and "ml.g5.2xlarge" in endpoint
    assert "ml.c5.xlarge" in transform and "ml.c5.large" not in transform


def test_an_unknown_type_suggests_the_closest_names() -> None:
    [problem] = instance_type_problems("inference.instance_type", "ml.g5.2xlarg", InstanceUse.ENDPOINT)

    assert problem.code == "unknown_instance_type"
    assert problem.allowed.endswith("; closest: ml.g5.2xlarge, ml.g5.24xlarge, ml.g5.12xlarge")


@pytest.mark.parametrize(
    ("inference", "ok"),
    [
        ({"type": "realtime", "instance_type": "ml.c5.large"}, True),
        ({"type": "async", "instance_type": "ml.inf2.xlarge"}, True),
        ({"type": "batch", "input_path": "daily/"}, True),
        (
            {
                "type": "batch",
                "input_path": "daily/",
                "instance_type": "ml.c5.large",
            },
            False,
        ),
        ({"type": "realtime", "instance_type": "ml.z9.mega"}, False),
        ({"type": "serverless"}, True),
    ],
)
def test_instance_type_is_checked_for_the_way_the_model_is_served(
    inference: dict[str, Any], ok: bool
) -> None:
    result = check(inference=inference)

    assert isinstance(result, Manifest) is ok, result


def test_capture_switched_on_at_zero_percent_is_refused_but_off_at_zero_is_fine() -> None:
    on = check(data_capture={"enabled": True, "sampling_percent": 0})
    off = check(data_capture={"enabled": False, "sampling_percent": 0})

    assert isinstance(on, list) and [(p.path, p.code) for p in on] == [
        ("data_capture.sampling_percent", "capture_samples_nothing")
    ]
    assert isinstance(off, Manifest)


@pytest.mark.parametrize(
    ("kind", "code", "where"),
    [
        ("async", "async_output_fixed", "s3://<data-capture bucket>/async-output/<stage>/<model_name>/"),
        ("batch", "batch_output_fixed", "batch-output/<model_name>/<transformJobName>/"),
    ],
)
def test_an_output_path_is_refused_saying_where_results_go(kind: str, code: str, where: str) -> None:
    result = check(inference={"type": kind})
    refused = check(inference={"type": kind, "output_path": "s3://scores-bucket/daily/"})

    assert isinstance(result, Manifest) and result.inference.output_path is None  # type: ignore[union-attr]
    assert isinstance(refused, list)
    [problem] = refused
    assert (problem.path, problem.code, problem.found) == (
        "inference.output_path",
        code,
        "'s3://scores-bucket/daily/'",
    )
    assert where in problem.allowed


@pytest.mark.parametrize(
    ("region", "partition", "suffix"),
    [
        ("us-east-1", "aws", "amazonaws.com"),
        ("cn-north-1", "aws-cn", "amazonaws.com.cn"),
        ("us-gov-west-1", "aws-us-gov", "amazonaws.com"),
        ("us-iso-east-1", "aws-iso", "c2s.ic.gov"),
    ],
)
def test_partitions_come_from_botocore(region: str, partition: str, suffix: str) -> None:
    assert partition_of(region) == (partition, suffix) and dns_suffix(region) == suffix


def test_aws_image_accounts_are_those_of_the_region() -> None:
    assert "683313688378" in aws_image_accounts("us-east-1")  # SageMaker's XGBoost/sklearn images
    assert "683313688378" not in aws_image_accounts("eu-west-1")


def test_an_aws_framework_image_account_needs_no_allow_list() -> None:
    uri = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"

    assert custom_image_problems(uri, "us-east-1", ()) == []


def test_an_allowed_account_in_china_uses_the_china_suffix() -> None:
    good = "111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn/model:1"
    wrong_host = "111122223333.dkr.ecr.cn-north-1.amazonaws.com/model:1"

    assert custom_image_problems(good, "cn-north-1", {"111122223333"}) == []
    [problem] = custom_image_problems(wrong_host, "cn-north-1", {"111122223333"})
    assert (problem.code, problem.found) == ("image_partition", "a host ending in .amazonaws.com")
    assert "ending in .amazonaws.com.cn" in problem.allowed and "(aws-cn)" in problem.allowed


def test_the_account_check_is_skipped_only_when_the_allow_list_is_unknown() -> None:
    uri = "444455556666.dkr.ecr.us-east-1.amazonaws.com/model:1"

    assert custom_image_problems(uri, "us-east-1", None) == []
    [problem] = custom_image_problems(uri, "us-east-1", ())
    assert problem.code == "image_account" and "registry.image_accounts: none listed" in problem.allowed


@pytest.mark.parametrize(
    ("input_path", "problem"),
    [
        ("s3://transactions-bucket/daily/", "names a URI, a bucket or an ARN"),
        ("/daily/", "starts with '/' (an absolute path)"),
        ("daily/../../other-model/", "has a '..' segment, which would leave the model's folder"),
        ("../other-model/", "starts with a '..' segment"),
        ("daily//2025/", "has an empty segment ('//')"),
        ("", "is empty"),
        ("d" * 513, "is 513 characters long; at most 512 are allowed"),
    ],
)
def test_a_batch_input_path_that_is_not_a_relative_prefix_is_refused_naming_why(
    input_path: str, problem: str
) -> None:
    refused = check(inference={"type": "batch", "input_path": input_path})

    assert isinstance(refused, list)
    [found] = refused
    assert (found.path, found.code) == ("inference.input_path", "batch_input_prefix")
    assert problem in found.found
    assert "batch-input/<model_name>/" in found.allowed


def test_a_relative_batch_input_path_is_kept_as_the_suggested_prefix() -> None:
    result = check(inference={"type": "batch", "input_path": "daily/2025-11-26/"})

    assert isinstance(result, Manifest) and result.inference.input_path == "daily/2025-11-26/"  # type: ignore[union-attr]
