"""Given a registered version, what it deploys is a sealed copy of the verified bytes, recorded once."""

from __future__ import annotations

import hashlib
import json

import boto3

from tests.handlers.register import baselines as b
from tests.handlers.register.artifacts import file_member, good_model, sha256, tar_gz
from tests.handlers.register.conftest import BUCKET, REGION, Registry, valid_manifest


def _other_model() -> bytes:
    return tar_gz(file_member("model.joblib", b"retrained" * 100), file_member("code/inference.py", b"x=2\n"))


def _read(registry: Registry, key: str) -> bytes:
    body: bytes = registry.s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    return body


def test_the_package_names_a_copy_of_the_verified_bytes(registry: Registry) -> None:
    artifact = good_model()
    registry.invoke(registry.upload(valid_manifest(), artifact))

    [package] = registry.packages()
    url = package["InferenceSpecification"]["Containers"][0]["ModelDataUrl"]
    bucket, _, key = url.removeprefix("s3://").partition("/")
    assert bucket == BUCKET
    assert hashlib.sha256(_read(registry, key)).hexdigest() == sha256(artifact)


def test_overwriting_the_upload_leaves_the_registered_copy_alone(registry: Registry) -> None:
    artifact = good_model()
    registry.invoke(registry.upload(valid_manifest(), artifact))
    [package] = registry.packages()
    key = package["InferenceSpecification"]["Containers"][0]["ModelDataUrl"].split("/", 3)[3]

    registry.put("models/churn-model/v1/model.tar.gz", _other_model())

    assert _read(registry, key) == artifact


def test_the_record_names_the_package_image_and_sealed_artifact(registry: Registry) -> None:
    artifact = good_model()
    outcome = registry.invoke(registry.upload(valid_manifest(), artifact))

    record = json.loads(_read(registry, "registrations/churn-model/v1.json"))
    [package] = registry.packages()
    container = package["InferenceSpecification"]["Containers"][0]
    assert record["model_package_arn"] == outcome["model_package_arn"]
    assert record["image_uri"] == container["Image"]
    assert record["model_data_url"] == container["ModelDataUrl"]
    assert record["artifact_sha256"] == sha256(artifact)
    assert record["uploader"] == "arn:aws:sts::123456789012:assumed-role/DataScientist/alice"


def test_a_conflicting_reupload_is_refused_and_changes_nothing_registered(registry: Registry) -> None:
    registry.invoke(registry.upload(valid_manifest(), good_model()))
    sealed_before = registry.keys("artifacts/") + registry.keys("registrations/")

    other = _other_model()
    outcome = registry.invoke(registry.upload(valid_manifest(artifact=other), other))

    assert outcome["status"] == "rejected"
    [report] = registry.reports()
    assert [p["code"] for p in report["problems"]] == ["version_conflict"]
    assert registry.keys("artifacts/") + registry.keys("registrations/") == sealed_before
    assert len(registry.packages()) == 1


def test_reuploading_a_registered_version_keeps_its_baseline(registry: Registry) -> None:
    artifact = good_model()
    manifest = valid_manifest()
    manifest["monitoring"] = {
        "enabled": True,
        "baseline_dataset_key": "datasets/churn/train.csv",
        "header_row": True,
        "target_column": "churned",
    }
    registry.put("datasets/churn/train.csv", b.csv_bytes(b.rows(300, seed=1)))
    assert registry.invoke(registry.upload(manifest, artifact))["status"] == "registered"
    profile_versions = registry.keys("baselines/")

    registry.put("datasets/churn/train.csv", b.csv_bytes(b.rows(300, seed=2)))
    outcome = registry.invoke(registry.upload(manifest, artifact))

    assert outcome["status"] == "already_registered"
    assert registry.keys("baselines/") == profile_versions


def test_a_package_registration_did_not_create_is_refused(registry: Registry) -> None:
    artifact = good_model()
    registry.sm.create_model_package_group(ModelPackageGroupName="churn-model")
    registry.sm.create_model_package(
        ModelPackageGroupName="churn-model",
        InferenceSpecification={
            "Containers": [{"Image": "111122223333.dkr.ecr.us-east-1.amazonaws.com/evil:1"}],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
        },
        CustomerMetadataProperties={"mlops:model-version": "v1", "mlops:artifact-sha256": sha256(artifact)},
    )

    outcome = registry.invoke(registry.upload(valid_manifest(), artifact))

    assert outcome["status"] == "rejected"
    [report] = registry.reports()
    [problem] = report["problems"]
    assert problem["code"] == "version_conflict"
    assert "111122223333.dkr.ecr.us-east-1.amazonaws.com/evil:1" in problem["allowed"]
    assert registry.keys("registrations/") == []


def test_a_registration_stopped_before_its_record_is_completed_by_the_retry(registry: Registry) -> None:
    artifact = good_model()
    event = registry.upload(valid_manifest(), artifact)
    first = registry.invoke(event)
    # As if the first attempt had stopped after creating the package: no record, no idempotency result.
    registry.s3.delete_object(Bucket=BUCKET, Key="registrations/churn-model/v1.json")
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    for item in dynamodb.scan(TableName="idempotency")["Items"]:
        if not item["id"]["S"].startswith("version-claim#"):
            dynamodb.delete_item(TableName="idempotency", Key={"id": item["id"]})

    again = registry.invoke(event)

    assert again == first
    assert len(registry.packages()) == 1
    record = json.loads(_read(registry, "registrations/churn-model/v1.json"))
    assert record["model_package_arn"] == first["model_package_arn"]
