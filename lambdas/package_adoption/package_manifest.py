"""What an adopted package becomes: its problems as a source, and the manifest registration checks."""

from __future__ import annotations

from typing import Any

from lambdas.common.s3_uri import split_s3_uri
from lambdas.package_adoption.settings import Target
from mlops_contract.serving import BLUEPRINT_VARIABLES

ADOPTED_VERSION_PREFIX = "adopted-"
MAX_DESCRIPTION = 1024


def adopted_version(package: dict[str, Any]) -> str:
    """Our label for a package version, adopted-<n>, so it cannot collide with an upload's by accident."""
    return f"{ADOPTED_VERSION_PREFIX}{int(package['ModelPackageVersion'])}"


def source_problems(package: dict[str, Any], artifact_buckets: frozenset[str]) -> list[str]:
    """Why a package cannot be adopted as it is, in plain words; empty when it can."""
    containers = (package.get("InferenceSpecification") or {}).get("Containers") or []
    if len(containers) != 1:
        return [f"it has {len(containers)} containers; only a single-container package can be adopted"]
    container, problems = containers[0], []
    url = container.get("ModelDataUrl")
    if not isinstance(url, str) or not url.startswith("s3://"):
        problems.append("its container has no ModelDataUrl (an s3:// model.tar.gz) to copy")
    elif (bucket := split_s3_uri(url)[0]) not in artifact_buckets:
        allowed = ", ".join(sorted(artifact_buckets))
        problems.append(
            f"its artifact lies in bucket {bucket!r}, not in adoption.artifact_buckets ({allowed})"
        )
    if not isinstance(container.get("Image"), str):
        problems.append("its container names no image")
    unknown = sorted(set(container.get("Environment") or {}) - BLUEPRINT_VARIABLES)
    if unknown:
        problems.append(
            f"its container sets environment variables ({', '.join(unknown)}) that the endpoint blueprint "
            f"cannot pass (it passes {', '.join(sorted(BLUEPRINT_VARIABLES))}); build them into the image"
        )
    return problems


def manifest_document(target: Target, package: dict[str, Any], sha256: str) -> dict[str, Any]:
    """The adopted version's manifest: our model, the package's image and artifact, the group's serving."""
    specification = package["InferenceSpecification"]
    container = specification["Containers"][0]
    document: dict[str, Any] = {
        "schema_version": "1",
        "model_name": target.model_name,
        "version": adopted_version(package),
        "image_uri": container["Image"],
        "artifact": {"sha256": sha256},
        "owner": target.owner,
        "description": str(package.get("ModelPackageDescription", ""))[:MAX_DESCRIPTION],
        "lineage": {"source_model_package_arn": package["ModelPackageArn"]},
    }
    if container.get("Environment"):  # listed variables only (source_problems); registration checks values
        document["environment"] = dict(container["Environment"])
    content_types = specification.get("SupportedContentTypes")
    if content_types:
        document["supported_content_types"] = list(content_types)
    return document | target.serving
