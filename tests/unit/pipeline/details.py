"""ModelRegistered details built from the example manifests the way the register function announces them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mlops_manifest import Manifest, validate_manifest

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
REGISTRY = "registry-bucket"
ECR = "683313688378.dkr.ecr.us-east-1.amazonaws.com"


def example(name: str) -> Manifest:
    """The validated example manifest examples/<name>.json."""
    manifest = validate_manifest((EXAMPLES / f"{name}.json").read_bytes())
    assert isinstance(manifest, Manifest), manifest
    return manifest


def registered_detail(manifest: Manifest | str, package_version: int = 1) -> dict[str, Any]:
    """The ModelRegistered detail of a manifest, with realistic identity fields."""
    if isinstance(manifest, str):
        manifest = example(manifest)
    folder = f"models/{manifest.model_name}/{manifest.version}/"
    image = manifest.image_uri or f"{ECR}/sagemaker-{manifest.framework}:{manifest.framework_version}"
    sections = json.loads(
        manifest.model_dump_json(include={"inference", "deployment", "data_capture", "monitoring"})
    )
    return {
        "model_name": manifest.model_name,
        "version": manifest.version,
        "model_package_arn": (
            f"arn:aws:sagemaker:us-east-1:123456789012:model-package/{manifest.model_name}/{package_version}"
        ),
        "model_package_group": manifest.model_name,
        "artifact": {
            "url": f"s3://{REGISTRY}/artifacts/sha256/{'a' * 64}/model.tar.gz",
            "sha256": "a" * 64,
            "source_key": f"{folder}model.tar.gz",
            "version_id": "v1",
        },
        "manifest": {
            "bucket": REGISTRY,
            "key": f"{folder}manifest.json",
            "version_id": "v2",
            "sha256": "b" * 64,
        },
        "image_uri": image,
        "inference_type": str(manifest.inference.type),
        "uploader": "arn:aws:iam::123456789012:user/alice",
        "registered_at": "2025-11-26T10:00:00+00:00",
        "already_registered": False,
        "smoke_test": manifest.smoke_test is not None,
        "owner": manifest.owner,
        # Written by the register function when monitoring is on (lambdas/register/service.py).
        "baseline_profile": (
            {"bucket": REGISTRY, "key": f"baselines/{manifest.model_name}/{manifest.version}/profile.json"}
            if manifest.monitoring.enabled
            else None
        ),
        **sections,
    }


def with_manifest_changes(name: str, **changes: Any) -> dict[str, Any]:
    """The detail of an example manifest with some top-level sections replaced (validated again)."""
    document = json.loads((EXAMPLES / f"{name}.json").read_text())
    document.update(changes)
    manifest = validate_manifest(json.dumps(document).encode())
    assert isinstance(manifest, Manifest), manifest
    return registered_detail(manifest)
