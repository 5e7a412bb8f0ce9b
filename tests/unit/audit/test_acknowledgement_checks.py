"""Acknowledgements and checkov skips checked against findings, and function sizes, on made-up assemblies."""

import json
from pathlib import Path

import pytest

from mlops_audit.acknowledgements import AckStatus, check_acknowledgements
from mlops_audit.checkov_skips import (
    Failure,
    Skip,
    config_skips,
    inline_skips,
    stale_skips,
    without_inline_skips,
)
from mlops_audit.function_sizes import UNZIPPED_LIMIT_BYTES, function_sizes
from mlops_audit.pack_record import Finding, PackRecord, clear_records, read_records, write_record

TEMPLATE = "App-Stack.template.json"


def acknowledged_bucket(*rules: str) -> dict:
    suppress = [{"id": rule, "reason": f"because {rule}"} for rule in rules]
    return {"Type": "AWS::S3::Bucket", "Metadata": {"cdk_nag": {"rules_to_suppress": suppress}}}


def finding(rule: str, acknowledged: bool = True) -> Finding:
    return Finding(rule, "App-Stack/Bucket/Resource", TEMPLATE, "Bucket", "error", acknowledged)


def assembly_with(tmp_path: Path, rules: list[str], records: list[PackRecord]) -> Path:
    (tmp_path / TEMPLATE).write_text(json.dumps({"Resources": {"Bucket": acknowledged_bucket(*rules)}}))
    for record in records:
        write_record(tmp_path, record)
    return tmp_path


def test_an_acknowledgement_without_a_finding_is_stale_and_one_of_a_pack_not_run_is_not_evaluated(tmp_path):
    record = PackRecord("AwsSolutions", "3.0.2", (TEMPLATE,), (finding("AwsSolutions-S1"),))
    rules = ["AwsSolutions-S1", "AwsSolutions-S10", "Serverless-SQSRedrivePolicy", "Made-Up-Rule"]

    checked = check_acknowledgements(assembly_with(tmp_path, rules, [record]))

    assert {ack.rule: ack.status for ack in checked} == {
        "AwsSolutions-S1": AckStatus.MATCHED,
        "AwsSolutions-S10": AckStatus.STALE,
        "Serverless-SQSRedrivePolicy": AckStatus.NOT_EVALUATED,
        "Made-Up-Rule": AckStatus.STALE,
    }


def test_an_unacknowledged_finding_does_not_make_an_acknowledgement_match(tmp_path):
    record = PackRecord(
        "AwsSolutions", "3.0.2", (TEMPLATE,), (finding("AwsSolutions-S1", acknowledged=False),)
    )

    (checked,) = check_acknowledgements(assembly_with(tmp_path, ["AwsSolutions-S1"], [record]))

    assert checked.status is AckStatus.STALE
    assert (record.acknowledged, record.unacknowledged) == (0, 1)


def test_records_round_trip_and_are_cleared_before_a_new_synthesis(tmp_path):
    record = PackRecord(
        "NIST.800.53.R5", "3.0.2", (TEMPLATE,), (finding("NIST.800.53.R5-S3BucketLoggingEnabled"),)
    )
    write_record(tmp_path, record)

    assert read_records(tmp_path) == [record]
    clear_records(tmp_path)
    assert read_records(tmp_path) == []


def test_checkov_skips_that_match_no_failure_are_stale():
    template = {
        "Resources": {
            "Bucket": {
                "Type": "AWS::S3::Bucket",
                "Metadata": {
                    "checkov": {
                        "skip": [
                            {"id": "CKV_AWS_18", "comment": "log bucket"},
                            {"id": "CKV_AWS_21", "comment": "never fails"},
                        ]
                    }
                },
            },
        }
    }
    skips = inline_skips("t.json", template) + config_skips({"skip-check": ["CKV_AWS_117", "CKV_AWS_999"]})
    failed = [Failure("t.json", "Bucket", "CKV_AWS_18"), Failure("other.json", "Fn", "CKV_AWS_117")]

    assert stale_skips(skips, failed) == [
        Skip("t.json", "Bucket", "CKV_AWS_21", "never fails"),
        Skip("*", "*", "CKV_AWS_999", ""),
    ]
    assert "checkov" not in without_inline_skips(template)["Resources"]["Bucket"]["Metadata"]
    assert "checkov" in template["Resources"]["Bucket"]["Metadata"]  # the original is left alone


def test_function_size_is_code_plus_layers_from_the_asset_folders(tmp_path):
    for asset, size in (("code", 1000), ("layer", 5000)):
        (tmp_path / f"asset.{asset}").mkdir()
        (tmp_path / f"asset.{asset}" / "file").write_bytes(b"x" * size)
    resources = {
        "Fn": {
            "Type": "AWS::Lambda::Function",
            "Properties": {"Handler": "h.main", "Code": {"S3Key": "code.zip"}, "Layers": [{"Ref": "Layer"}]},
        },
        "Layer": {"Type": "AWS::Lambda::LayerVersion", "Properties": {"Content": {"S3Key": "layer.zip"}}},
        "Inline": {"Type": "AWS::Lambda::Function", "Properties": {"Code": {"ZipFile": "abc"}}},
    }
    (tmp_path / TEMPLATE).write_text(json.dumps({"Resources": resources}))

    fn, inline = function_sizes(tmp_path / TEMPLATE)

    assert (fn.function, fn.code, fn.layers, fn.total) == ("Fn", 1000, (5000,), 6000)
    assert fn.margin == UNZIPPED_LIMIT_BYTES - 6000
    assert (inline.code, inline.layers) == (3, ())


def test_a_layer_from_elsewhere_is_an_error_not_a_guess(tmp_path):
    resources = {
        "Fn": {
            "Type": "AWS::Lambda::Function",
            "Properties": {"Code": {"ZipFile": "x"}, "Layers": ["arn:aws:lambda:eu-west-1:1:layer:x:1"]},
        }
    }
    (tmp_path / TEMPLATE).write_text(json.dumps({"Resources": resources}))

    with pytest.raises(ValueError, match="is not a layer of this template; its size is unknown"):
        function_sizes(tmp_path / TEMPLATE)
