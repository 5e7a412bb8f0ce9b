"""MWO /provisionpipeline bodies map onto a manifest or monitoring section, or are refused field by field."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from mlops_api.mwo_convert import MwoRefusal, convert
from mlops_api.mwo_draft import Destination
from mlops_api.mwo_result import MwoConversion
from mlops_api.mwo_types import NOT_MAPPED
from mlops_manifest.validate import validate_manifest
from tests.unit.api.mwo_bodies import (
    ASSETS,
    CUSTOM_IMAGE,
    PACKAGE_ARN,
    SHA,
    byom,
    data_quality,
    model_quality,
)

REGISTRY = "registry-bucket"
WHERE = Destination(registry_bucket=REGISTRY, region="us-east-1", image_accounts=("123456789012",))
CALLER = "arn:aws:sts::123456789012:assumed-role/data-scientist/alice"
BYOM_TYPES = ["byom_realtime_builtin", "byom_realtime_custom", "byom_batch_builtin", "byom_batch_custom"]


def mapped(body: Any) -> MwoConversion:
    result = convert(json.dumps(body).encode(), caller=CALLER, where=WHERE)
    assert isinstance(result, MwoConversion), result
    return result


def refused(body: Any) -> MwoRefusal:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    result = convert(raw, caller=CALLER, where=WHERE)
    assert isinstance(result, MwoRefusal), result
    return result


def paths(refusal: MwoRefusal) -> dict[str, str]:
    return {problem.path: problem.code for problem in refusal.problems}


@pytest.mark.parametrize("pipeline_type", BYOM_TYPES)
def test_every_byom_type_becomes_a_manifest_the_register_function_accepts(pipeline_type):
    result = mapped(byom(pipeline_type))

    assert result.manifest_text is not None
    raw = result.manifest_text.encode()
    assert result.manifest_sha256 == hashlib.sha256(raw).hexdigest()
    assert result.manifest_size_bytes == len(raw)
    manifest = validate_manifest(raw)
    assert not isinstance(manifest, list), manifest
    assert (manifest.model_name, manifest.version, manifest.owner) == ("churn", "v1", CALLER)
    assert (manifest.artifact.file_name, manifest.artifact.sha256) == ("model.tar.gz", SHA)
    assert manifest.inference.instance_type == "ml.m5.large"
    assert manifest.tags["mwo-pipeline-type"] == pipeline_type
    (copy,) = result.copies
    assert copy.source == f"s3://{ASSETS}/models/churn/model.tar.gz"
    assert copy.target == f"s3://{REGISTRY}/models/churn/v1/model.tar.gz"


@pytest.mark.parametrize("pipeline_type", ["byom_realtime_builtin", "byom_batch_builtin"])
def test_built_in_types_serve_with_the_framework_image(pipeline_type):
    result = mapped(byom(pipeline_type))

    assert result.manifest is not None
    assert (result.manifest["framework"], result.manifest["framework_version"]) == ("xgboost", "1.7-1")
    assert "image_uri" not in result.manifest
    assert result.image_uri is not None and "sagemaker-xgboost:1.7-1" in result.image_uri


@pytest.mark.parametrize("pipeline_type", ["byom_realtime_custom", "byom_batch_custom"])
def test_custom_types_serve_with_their_own_image(pipeline_type):
    result = mapped(byom(pipeline_type))

    assert result.manifest is not None and result.manifest["image_uri"] == CUSTOM_IMAGE
    assert "framework" not in result.manifest
    assert result.image_uri == CUSTOM_IMAGE


def test_realtime_keeps_capturing_every_request_and_reports_the_capture_location_as_ignored():
    result = mapped(byom("byom_realtime_builtin", endpoint_name="churn-ep", kms_key_arn="arn:aws:kms:x"))

    assert result.manifest is not None
    assert result.manifest["inference"]["type"] == "realtime"
    assert result.manifest["data_capture"] == {"enabled": True, "sampling_percent": 100}
    ignored = {item.field for item in result.ignored}
    assert ignored == {"data_capture_location", "endpoint_name", "kms_key_arn"}
    assert all(item.reason for item in result.ignored)


def test_batch_locations_are_checked_and_the_answer_says_where_the_data_must_go():
    result = mapped(byom("byom_batch_custom"))

    assert result.manifest is not None
    inference = result.manifest["inference"]
    # The runs read the model's folder in production's data bucket: the manifest suggests a prefix there
    assert (inference["type"], inference["input_path"]) == ("batch", "migrated/")
    assert "output_path" not in inference
    ignored = {item.field: item.reason for item in result.ignored}
    assert (
        "copy s3://mwo-batch/inference/data.csv to s3://<production data-capture bucket>/batch-input/"
        f"{result.manifest['model_name']}/migrated/" in ignored["batch_inference_data"]
    )
    assert "batch-output/<model_name>/<transformJobName>/" in ignored["batch_job_output_location"]


def test_multi_account_values_keep_production_and_report_the_other_stages():
    stages = {"dev": "ml.m5.large", "staging": "ml.m5.xlarge", "prod": "ml.c5.2xlarge"}
    result = mapped(byom("byom_realtime_builtin", inference_instance=stages))

    assert result.manifest is not None
    assert result.manifest["inference"]["instance_type"] == "ml.c5.2xlarge"
    (dropped,) = [item for item in result.ignored if item.field == "inference_instance"]
    assert "dev=ml.m5.large" in dropped.reason and "staging=ml.m5.xlarge" in dropped.reason


def test_multi_account_values_without_production_are_refused():
    body = byom("byom_batch_builtin", batch_job_output_location={"dev": "b/out", "staging": "b/out2"})

    assert paths(refused(body)) == {"batch_job_output_location": "no_prod_value"}


def test_a_model_package_beside_an_artifact_is_ignored_and_alone_is_refused():
    result = mapped(byom("byom_realtime_builtin", model_package_name=PACKAGE_ARN))
    assert "model_package_name" in {item.field for item in result.ignored}

    body = byom("byom_realtime_builtin", model_package_name=PACKAGE_ARN)
    del body["model_artifact_location"]
    refusal = refused(body)
    assert paths(refusal) == {"model_artifact_location": "missing"}
    assert "ModelDataUrl" in refusal.problems[0].allowed


def test_an_owner_given_in_the_migration_object_wins_over_the_caller():
    body = byom("byom_realtime_builtin")
    body["migration"]["owner"] = "ml-team@example.com"

    assert mapped(body).manifest["owner"] == "ml-team@example.com"  # type: ignore[index]


def test_the_data_quality_monitor_becomes_drift_monitoring_on_a_copied_baseline():
    result = mapped(data_quality())

    key = "datasets/mwo/churn/model_monitor/training-dataset-with-header.csv"
    assert result.manifest is None
    assert result.monitoring == {
        "enabled": True,
        "baseline_dataset_key": key,
        "header_row": True,
        "schedule": "cron(0 * ? * * *)",
    }
    (copy,) = result.copies
    assert copy.source == f"s3://{ASSETS}/model_monitor/training-dataset-with-header.csv"
    assert copy.target == f"s3://{REGISTRY}/{key}"
    ignored = {item.field for item in result.ignored}
    assert {"instance_type", "instance_volume_size", "monitoring_output_location", "endpoint_name"} <= ignored


def test_mwo_numbers_may_be_json_numbers_too():
    body = data_quality(instance_volume_size=20, monitor_max_runtime_seconds=1800)

    assert mapped(body).monitoring is not None


def test_the_model_quality_monitor_becomes_a_quality_section():
    result = mapped(model_quality())

    assert result.monitoring == {"quality": {"problem_type": "regression", "schedule": "cron(0 * ? * * *)"}}
    ignored = {item.field for item in result.ignored}
    assert {"monitor_ground_truth_input", "baseline_ground_truth_attribute", "baseline_data"} <= ignored


def test_a_binary_quality_monitor_keeps_its_probability_threshold():
    body = model_quality(problem_type="BinaryClassification", probability_threshold_attribute="0.7")

    assert mapped(body).monitoring == {
        "quality": {
            "problem_type": "binary_classification",
            "schedule": "cron(0 * ? * * *)",
            "probability_threshold": 0.7,
        }
    }


def test_a_multiclass_quality_monitor_needs_the_class_labels():
    body = model_quality(problem_type="MulticlassClassification")
    assert paths(refused(body)) == {"migration.classes": "missing"}

    body["migration"]["classes"] = ["bronze", "silver", "gold"]
    assert mapped(body).monitoring["quality"]["classes"] == ["bronze", "silver", "gold"]  # type: ignore[index]


def test_a_prediction_attribute_inside_a_wider_answer_is_refused():
    refusal = refused(model_quality(monitor_inference_attribute="prediction"))

    assert paths(refusal) == {"monitor_inference_attribute": "attribute_not_supported"}


@pytest.mark.parametrize("pipeline_type", sorted(NOT_MAPPED))
def test_every_unmapped_mwo_type_is_named_with_what_to_use_instead(pipeline_type):
    refusal = refused({"pipeline_type": pipeline_type, "model_name": "churn"})

    assert refusal.code == "mwo_type_not_mapped"
    assert pipeline_type in refusal.message and "instead use" in refusal.message
    assert paths(refusal) == {"pipeline_type": "not_mapped"}


@pytest.mark.parametrize("value", ["byom_realtime", "BYOM_REALTIME_BUILTIN", 3, None, ["byom_batch_custom"]])
def test_an_unknown_pipeline_type_is_named_and_the_mapped_ones_listed(value):
    refusal = refused({"pipeline_type": value})

    assert refusal.code == "unknown_pipeline_type"
    assert "byom_realtime_builtin" in refusal.message


def test_a_missing_pipeline_type_is_a_problem_not_a_crash():
    refusal = refused({"model_name": "churn"})

    assert refusal.problems[0].path == "pipeline_type" and refusal.problems[0].found == "(missing)"


def test_every_missing_field_is_listed_at_once():
    refusal = refused({"pipeline_type": "byom_batch_builtin"})

    expected = {
        "model_name",
        "inference_instance",
        "migration",
        "batch_inference_data",
        "batch_job_output_location",
        "model_framework",
        "model_framework_version",
    }
    assert paths(refusal) == dict.fromkeys(expected, "missing")


@pytest.mark.parametrize(
    ("overrides", "path"),
    [
        ({"model_name": 42}, "model_name"),
        ({"inference_instance": ["ml.m5.large"]}, "inference_instance"),
        ({"inference_instance": {"prod": 5}}, "inference_instance"),
        ({"migration": "v1"}, "migration"),
        ({"model_framework_version": 1.7}, "model_framework_version"),
    ],
)
def test_wrong_json_types_are_refused_by_field(overrides, path):
    assert path in paths(refused(byom("byom_realtime_builtin", **overrides)))


@pytest.mark.parametrize(
    "key",
    [
        "../other-team/model.tar.gz",
        "models/../../model.tar.gz",
        "/models/model.tar.gz",
        "models//model.tar.gz",
        "models/./model.tar.gz",
        "s3://elsewhere/model.tar.gz",
        "models/mo del.tar.gz",
        "models\\model.tar.gz",
    ],
)
def test_keys_that_climb_or_hide_are_refused(key):
    refusal = refused(byom("byom_realtime_builtin", model_artifact_location=key))

    assert "model_artifact_location" in paths(refusal)


@pytest.mark.parametrize(
    "location", ["mwo-batch/../etc/passwd", "Bad_Bucket/data.csv", "mwo-batch", "s3://mwo-batch/", "a/b"]
)
def test_bad_bucket_locations_are_refused(location):
    refusal = refused(byom("byom_batch_builtin", batch_inference_data=location))

    assert "batch_inference_data" in paths(refusal)


def test_traversal_in_an_ignored_location_is_still_refused():
    refusal = refused(data_quality(monitoring_output_location="mwo-monitor/../../secrets"))

    assert paths(refusal) == {"monitoring_output_location": "bad_s3_key"}


def test_an_unknown_instance_type_is_refused_with_the_closest_names():
    refusal = refused(byom("byom_realtime_builtin", inference_instance="ml.m5.huge"))

    (problem,) = refusal.problems
    assert (problem.path, problem.code) == ("inference_instance", "unknown_instance_type")
    assert "ml.m5." in problem.allowed


@pytest.mark.parametrize(
    ("overrides", "path"),
    [
        ({"instance_volume_size": 10**20}, "instance_volume_size"),
        ({"instance_volume_size": "99999999999999999999"}, "instance_volume_size"),
        ({"monitor_max_runtime_seconds": -1}, "monitor_max_runtime_seconds"),
        ({"monitor_max_runtime_seconds": True}, "monitor_max_runtime_seconds"),
        ({"instance_volume_size": "\uff12\uff10"}, "instance_volume_size"),  # full-width digits
    ],
)
def test_numbers_out_of_range_or_not_whole_are_refused(overrides, path):
    assert paths(refused(data_quality(**overrides))) == {path: "whole_number"}


def test_numbers_json_cannot_hold_are_refused_before_mapping():
    raw = json.dumps(data_quality()).replace('"20"', "1e999").encode()

    refusal = refused(raw)
    assert refusal.code == "invalid_request" and refusal.problems


def test_extra_fields_are_refused_as_not_mwo_fields():
    refusal = refused(byom("byom_realtime_custom", model_framework="xgboost", admin=True))

    assert paths(refusal) == {"model_framework": "unknown_field", "admin": "unknown_field"}
    assert "byom_realtime_custom" in refusal.problems[0].allowed


def test_duplicate_keys_and_non_objects_are_refused():
    assert refused(b'{"pipeline_type": "byom_batch_custom", "pipeline_type": "x"}').problems
    assert paths(refused(b"[1, 2]")) == {"$": "not_object"}


@pytest.mark.parametrize(
    ("overrides", "path"),
    [
        ({"model_name": "churn_model!"}, "model_name"),
        ({"model_framework": "caffe"}, "model_framework"),
        ({"model_framework_version": "0.1"}, "model_framework_version"),
        ({"model_artifact_location": "models/churn/model.zip"}, "model_artifact_location"),
    ],
)
def test_values_the_manifest_refuses_are_named_by_their_mwo_field(overrides, path):
    assert path in paths(refused(byom("byom_realtime_builtin", **overrides)))


def test_migration_values_the_manifest_refuses_are_named_inside_migration():
    body = byom("byom_realtime_builtin")
    body["migration"] |= {"artifact_sha256": "XYZ", "version": "../v1"}

    assert paths(refused(body)).keys() == {"migration.artifact_sha256", "migration.version"}


def test_a_custom_image_outside_the_allowed_accounts_is_refused():
    image = "999999999999.dkr.ecr.us-east-1.amazonaws.com/x:1"

    assert paths(refused(byom("byom_realtime_custom", custom_image_uri=image))) == {
        "custom_image_uri": "image_account"
    }


def test_a_bad_schedule_is_named_by_its_mwo_field():
    assert "schedule_expression" in paths(refused(data_quality(schedule_expression="every hour")))
