"""Given a valid upload, the register function creates one pending model package version and announces it."""

from __future__ import annotations

from tests.handlers.register.artifacts import good_model, sha256
from tests.handlers.register.conftest import BUCKET, Registry, valid_manifest

SKLEARN_US_EAST_1 = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"


def test_valid_upload_registers_pending_package(registry: Registry) -> None:
    artifact = good_model()
    event = registry.upload(valid_manifest(), artifact)

    outcome = registry.invoke(event)

    assert outcome["status"] == "registered"
    [package] = registry.packages()
    assert package["ModelApprovalStatus"] == "PendingManualApproval"
    container = package["InferenceSpecification"]["Containers"][0]
    assert container["Image"] == SKLEARN_US_EAST_1
    # The scikit-learn container has no default entry point: the archive's code/inference.py is named
    assert container["Environment"] == {
        "SAGEMAKER_PROGRAM": "inference.py",
        "SAGEMAKER_SUBMIT_DIRECTORY": "/opt/ml/model/code",
    }
    assert container["ModelDataUrl"] == f"s3://{BUCKET}/artifacts/sha256/{sha256(artifact)}/model.tar.gz"
    assert package["InferenceSpecification"]["SupportedRealtimeInferenceInstanceTypes"] == ["ml.m5.large"]
    meta = package["CustomerMetadataProperties"]
    assert meta["mlops:artifact-sha256"] == sha256(artifact)
    assert meta["mlops:uploader"] == "arn:aws:sts::123456789012:assumed-role/DataScientist/alice"
    assert meta["mlops:source-key"] == "models/churn-model/v1/manifest.json"
    assert meta["mlops:manifest-object-version"] == event["detail"]["object"]["version-id"]
    assert meta["mlops:model-version"] == "v1"


def test_group_is_created_tagged(registry: Registry) -> None:
    registry.invoke(registry.upload(valid_manifest(), good_model()))

    group = registry.sm.describe_model_package_group(ModelPackageGroupName="churn-model")
    tags = registry.sm.list_tags(ResourceArn=group["ModelPackageGroupArn"])["Tags"]
    assert {"Key": "team", "Value": "growth"} in tags
    assert {"Key": "mlops:owner", "Value": "alice@example.com"} in tags


def test_model_registered_event_carries_what_the_pipeline_needs(registry: Registry) -> None:
    event = registry.upload(valid_manifest(), good_model())
    outcome = registry.invoke(event)

    [published] = registry.events("ModelRegistered")
    detail = published["detail"]
    assert published["source"] == "mlops.orchestrator"
    assert detail["model_package_arn"] == outcome["model_package_arn"]
    assert detail["model_package_group"] == "churn-model"
    assert detail["version"] == "v1"
    assert detail["image_uri"] == SKLEARN_US_EAST_1
    assert detail["inference_type"] == "realtime"
    assert (
        detail["artifact"]["url"]
        == f"s3://{BUCKET}/artifacts/sha256/{detail['artifact']['sha256']}/model.tar.gz"
    )
    assert detail["artifact"]["source_key"] == "models/churn-model/v1/model.tar.gz"
    assert detail["manifest"] == {
        "bucket": BUCKET,
        "key": "models/churn-model/v1/manifest.json",
        "version_id": event["detail"]["object"]["version-id"],
        "sha256": detail["manifest"]["sha256"],
    }
    assert detail["deployment"]["strategy"] == "canary"
    assert registry.notifications() == []
    assert registry.reports() == []


def test_a_trained_versions_comparison_travels_with_model_registered(registry: Registry) -> None:
    # Given a manifest the training pipeline wrote, with its champion/challenger comparison
    manifest = valid_manifest()
    comparison = {
        "metric": "f1",
        "challenger_score": 0.81,
        "champion_version": "churn-model-250101-060000",
        "champion_score": 0.84,
        "held_out_sha256": "a" * 64,
        "verdict": "worse",
    }
    manifest["lineage"] = {"run_identity": "b" * 64, "comparison": comparison}
    # When it is registered
    registry.invoke(registry.upload(manifest, good_model()))
    # Then the event the deployment pipeline starts from carries it (uploads carry None)
    [published] = registry.events("ModelRegistered")
    assert published["detail"]["comparison"] == comparison


def test_an_upload_has_no_comparison(registry: Registry) -> None:
    registry.invoke(registry.upload(valid_manifest(), good_model()))

    [published] = registry.events("ModelRegistered")
    assert published["detail"]["comparison"] is None


def test_custom_image_in_region_is_used_as_is(registry: Registry) -> None:
    manifest = valid_manifest()
    del manifest["framework"], manifest["framework_version"]
    manifest["image_uri"] = "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-model:1.0"

    assert registry.invoke(registry.upload(manifest, good_model()))["status"] == "registered"
    [package] = registry.packages()
    assert package["InferenceSpecification"]["Containers"][0]["Image"] == manifest["image_uri"]


def test_gpu_instance_gets_gpu_image(registry: Registry) -> None:
    manifest = valid_manifest()
    manifest.update(framework="pytorch", framework_version="2.1")
    manifest["inference"]["instance_type"] = "ml.g5.xlarge"

    registry.invoke(registry.upload(manifest, good_model()))

    [package] = registry.packages()
    image = package["InferenceSpecification"]["Containers"][0]["Image"]
    assert image == "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.1.0-gpu-py310"
