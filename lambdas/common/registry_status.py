"""A model's status as SageMaker and S3 hold it (`mlops status`, the API); tolerates missing pieces."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

META_VERSION = "mlops:model-version"
META_SHA256 = "mlops:artifact-sha256"
REJECTED_PREFIX = "rejected/"
MAX_PROBLEMS_SHOWN = 5
_NOT_FOUND = {"ValidationException", "ResourceNotFound", "ResourceNotFoundException"}


def as_list(value: Any) -> list[Any]:
    """The value when it is a list, else an empty list (stored documents are read defensively)."""
    return value if isinstance(value, list) else []


def as_dict(value: Any) -> dict[str, Any]:
    """The value when it is a dict, else an empty dict."""
    return value if isinstance(value, dict) else {}


def _code(error: ClientError) -> str:
    """The AWS error code of a ClientError."""
    return str(error.response.get("Error", {}).get("Code", ""))


def registry_versions(sm: Any, model: str, version: str | None) -> list[dict[str, Any]] | None:
    """Model package versions of the model's group (newest first); None when the group does not exist."""
    try:
        sm.describe_model_package_group(ModelPackageGroupName=model)
    except ClientError as error:
        if _code(error) in _NOT_FOUND:
            return None
        raise
    found = []
    for page in sm.get_paginator("list_model_packages").paginate(
        ModelPackageGroupName=model, ModelPackageType="Versioned"
    ):
        for summary in page.get("ModelPackageSummaryList", []):
            described = sm.describe_model_package(ModelPackageName=summary["ModelPackageArn"])
            metadata = described.get("CustomerMetadataProperties") or {}
            label = metadata.get(META_VERSION, "")
            if version is None or label == version:
                found.append(
                    {
                        "version": label,
                        "package_version": described.get("ModelPackageVersion"),
                        "approval": described.get("ModelApprovalStatus", ""),
                        # Who approved it and how it was deployed, as finalize records it.
                        "approval_description": described.get("ApprovalDescription", ""),
                        "sha256": metadata.get(META_SHA256, ""),
                        "created": str(described.get("CreationTime", "")),
                        "arn": summary["ModelPackageArn"],
                    }
                )
    return sorted(found, key=lambda v: v["package_version"] or 0, reverse=True)


def _keys(s3: Any, bucket: str, prefix: str) -> list[str]:
    """Every key under a prefix."""
    keys: list[str] = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        keys += [item["Key"] for item in page.get("Contents", [])]
    return keys


def has_uploads(s3: Any, bucket: str, model: str) -> bool:
    """Tell whether anything was ever uploaded for the model."""
    page = s3.list_objects_v2(Bucket=bucket, Prefix=f"models/{model}/", MaxKeys=1)
    return bool(page.get("Contents"))


def rejections(s3: Any, bucket: str, model: str, version: str | None) -> list[dict[str, Any]]:
    """The latest rejection report of each version (reports are named by UTC time, so the last key wins)."""
    prefix = f"{REJECTED_PREFIX}{model}/" + (f"{version}/" if version else "")
    latest: dict[str, str] = {}
    for key in sorted(k for k in _keys(s3, bucket, prefix) if k.endswith(".json")):
        latest[key[len(REJECTED_PREFIX) + len(model) + 1 :].split("/", 1)[0]] = key
    reports = []
    for label, key in sorted(latest.items()):
        document = read_json(s3, bucket, key) or {}
        problems = as_list(document.get("problems"))
        reports.append(
            {
                "version": label,
                "report": f"s3://{bucket}/{key}",
                "rejected_at": document.get("rejected_at", ""),
                "problem_count": document.get("problem_count", len(problems)),
                "problems": problems[:MAX_PROBLEMS_SHOWN],
            }
        )
    return reports


def read_json(s3: Any, bucket: str, key: str) -> dict[str, Any] | None:
    """A JSON object stored in S3, or None when absent or not a JSON object."""
    try:
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    except s3.exceptions.NoSuchKey:
        return None
    try:
        document = json.loads(body)
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


def _latest_verdict(
    s3: Any, bucket: str, check: str, endpoint: str, details: Callable[[dict[str, Any]], dict[str, Any]]
) -> dict[str, Any] | None:
    """The status of an endpoint's latest report of one check, with what `details` picks from it."""
    latest = read_json(s3, bucket, f"{check}/{endpoint}/latest.json")
    if latest is None:
        return None
    return {"status": str(latest.get("status", "unknown")), **details(latest)}


def _drift_details(latest: dict[str, Any]) -> dict[str, Any]:
    return {
        "drifted_features": [str(f) for f in as_list(latest.get("drifted_features"))],
        "html": str(as_dict(latest.get("reports")).get("html", "")),
    }


def _quality_details(latest: dict[str, Any]) -> dict[str, Any]:
    metrics = as_dict(latest.get("metrics"))
    return {
        "metrics": {str(k): v for k, v in metrics.items() if isinstance(v, int | float)},
        "breaches": [
            str(b.get("metric", "")) for b in as_list(latest.get("breaches")) if isinstance(b, dict)
        ],
    }


def drift_verdict(s3: Any, bucket: str, endpoint: str) -> dict[str, Any] | None:
    """Status, drifted features and HTML report of the endpoint's latest drift check."""
    return _latest_verdict(s3, bucket, "drift", endpoint, _drift_details)


def quality_verdict(s3: Any, bucket: str, endpoint: str) -> dict[str, Any] | None:
    """Status, metrics and breaches of the endpoint's latest model-quality check."""
    return _latest_verdict(s3, bucket, "quality", endpoint, _quality_details)
