"""A trained (or adopted) version's lineage is recorded on its package: metadata and ModelMetrics."""

from __future__ import annotations

import json

from tests.handlers.register.artifacts import good_model
from tests.handlers.register.conftest import BUCKET, Registry, valid_manifest

EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:train-churn:run-7"
LINEAGE = {
    "training_job_name": "churn-20260301-0900",
    "execution_arn": EXECUTION,
    "data": [{"channel": "train", "uri": "s3://ml-data/churn/train/", "sha256": "2" * 64}],
    "hyperparameters": {"max_depth": "5"},
    "metrics": {"held_out_auc": 0.91},
    "run_identity": "3" * 64,
}


def test_the_lineage_document_is_the_package_s_model_metrics(registry: Registry) -> None:
    registry.invoke(registry.upload(valid_manifest() | {"lineage": LINEAGE}, good_model()))

    (package,) = registry.packages()
    statistics = package["ModelMetrics"]["ModelQuality"]["Statistics"]
    assert statistics["ContentType"] == "application/json"
    assert statistics["S3Uri"] == f"s3://{BUCKET}/registrations/churn-model/v1.lineage.json"
    key = statistics["S3Uri"].removeprefix(f"s3://{BUCKET}/")
    stored = json.loads(registry.s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())
    assert stored["metrics"] == {"held_out_auc": 0.91} and stored["data"] == LINEAGE["data"]
    assert stored["hyperparameters"] == {"max_depth": "5"}


def test_the_run_is_named_in_the_package_metadata(registry: Registry) -> None:
    registry.invoke(registry.upload(valid_manifest() | {"lineage": LINEAGE}, good_model()))

    (package,) = registry.packages()
    meta = package["CustomerMetadataProperties"]
    assert meta["mlops:training-job"] == "churn-20260301-0900"
    assert meta["mlops:training-execution"] == EXECUTION
    assert meta["mlops:run-identity"] == "3" * 64
    assert "mlops:source-package" not in meta


def test_an_upload_without_lineage_has_no_model_metrics(registry: Registry) -> None:
    registry.invoke(registry.upload(valid_manifest(), good_model()))

    (package,) = registry.packages()
    assert "ModelMetrics" not in package
    assert registry.keys("registrations/churn-model/v1.lineage") == []
