"""SageMaker calls moto 5.2 gets wrong, answered locally through a botocore `before-call` hook."""

from __future__ import annotations

import json
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse


class ModelPackageTags:
    """AddTags on a versioned model package (`model-package/<group>/<n>`): moto's ARN parser fails on it
    with a 500, so those tags are kept here; tags on every other resource still go to moto."""

    def __init__(self) -> None:
        self.tags: dict[str, dict[str, str]] = {}

    def install(self, events: Any = None) -> None:
        """Register the hook on a session's events (default: the default session's)."""
        hooks = events if events is not None else boto3._get_default_session().events
        hooks.register("before-call.sagemaker.AddTags", self._add_tags)

    def _add_tags(self, params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        body = json.loads(params["body"])
        arn = str(body["ResourceArn"])
        if ":model-package/" not in arn or arn.split(":")[-1].count("/") < 2:
            return None  # moto handles it
        added = {tag["Key"]: tag["Value"] for tag in body.get("Tags", [])}
        self.tags.setdefault(arn, {}).update(added)
        tags = [{"Key": k, "Value": v} for k, v in self.tags[arn].items()]
        return AWSResponse("http://local", 200, {}, None), {"Tags": tags}


def keep_package_metadata(params: dict[str, Any], **_: Any) -> None:
    """UpdateModelPackage: send the current metadata along, with the update's own entries on top.

    AWS leaves a package's metadata alone unless the update names it, and adds the entries an update
    names to the others; moto 5.2 replaces the whole set (or erases it). The hook (on
    `before-parameter-build`) reads the metadata first so moto keeps it.
    """
    if "ModelPackageArn" not in params:
        return
    described = boto3.client("sagemaker").describe_model_package(ModelPackageName=params["ModelPackageArn"])
    current = described.get("CustomerMetadataProperties") or {}
    merged = {**current, **params.get("CustomerMetadataProperties", {})}
    for name in params.get("CustomerMetadataPropertiesToRemove", []):
        merged.pop(name, None)
    if merged:
        params["CustomerMetadataProperties"] = merged


def install_package_metadata(events: Any = None) -> None:
    """Register keep_package_metadata on a session's events (default: the default session's)."""
    hooks = events if events is not None else boto3._get_default_session().events
    hooks.register("before-parameter-build.sagemaker.UpdateModelPackage", keep_package_metadata)
