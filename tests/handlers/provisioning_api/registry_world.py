"""Registered model versions in moto: package, registration record, uploader record, uploaded manifest."""

from __future__ import annotations

import json
from typing import Any

from tests.handlers.fakes import REGION
from tests.handlers.provisioning_api.conftest import PIPELINES, REGISTRY, Api

IMAGE = f"683313688378.dkr.ecr.{REGION}.amazonaws.com/sagemaker-xgboost:1.7-1"


def _put_json(api: Api, key: str, document: dict[str, Any]) -> None:
    api.s3.put_object(Bucket=REGISTRY, Key=key, Body=json.dumps(document).encode())


def register(
    api: Api,
    model: str,
    version: str,
    *,
    uploader: str,
    approval: str = "PendingManualApproval",
    requested_by: str | None = None,
) -> str:
    """Register one version as the register function would; return its model package ARN."""
    sm = api.sagemaker
    groups = sm.list_model_package_groups()["ModelPackageGroupSummaryList"]
    if model not in {g["ModelPackageGroupName"] for g in groups}:
        sm.create_model_package_group(ModelPackageGroupName=model)
    arn: str = sm.create_model_package(
        ModelPackageGroupName=model,
        ModelApprovalStatus=approval,
        CustomerMetadataProperties={"mlops:model-version": version, "mlops:artifact-sha256": "a" * 64},
        InferenceSpecification={
            "Containers": [{"Image": IMAGE}],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
        },
    )["ModelPackageArn"]
    manifest_key = f"models/{model}/{version}/manifest.json"
    metadata = {"requested-by": requested_by} if requested_by else {}
    api.s3.put_object(Bucket=REGISTRY, Key=manifest_key, Body=b"{}", Metadata=metadata)
    request_id = f"REQ{model.upper()}{version.upper()}".replace("-", "")
    _put_json(
        api,
        f"uploaders/{request_id}.json",
        {
            "identity": uploader,
            "request_id": request_id,
            "key": manifest_key,
            "version_id": None,
            "event_time": "2025-11-26T09:59:00Z",
        },
    )
    _put_json(
        api,
        f"registrations/{model}/{version}.json",
        {
            "model_name": model,
            "version": version,
            "model_package_arn": arn,
            "image_uri": IMAGE,
            "model_data_url": f"s3://{REGISTRY}/artifacts/sha256/{'a' * 64}/model.tar.gz",
            "artifact_sha256": "a" * 64,
            "source_key": manifest_key,
            "source_version_id": None,
            "uploader": uploader,
            "registered_at": "2025-11-26T10:00:00+00:00",
            "manifest_request_id": request_id,
        },
    )
    return arn


def deployed(
    api: Api, model: str, version: str, arn: str, execution_id: str, status: str = "Succeeded"
) -> None:
    """A realtime pipeline execution of the version, with the variables it ran with."""
    variables = {
        "ModelName": model,
        "ModelVersion": version,
        "ModelPackageArn": arn,
        "InstanceType": "ml.m5.large",
    }
    api.pipelines.add(PIPELINES["realtime"], execution_id, status, variables)
