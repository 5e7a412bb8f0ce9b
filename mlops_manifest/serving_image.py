"""Which image serves a manifest's model: the one rule the register function and `mlops validate` share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_manifest.images import processor_for, resolve_image
from mlops_manifest.problems import Problem

if TYPE_CHECKING:  # the register function's cold start does not load the pydantic models for this
    from mlops_manifest.manifest import Manifest


def serving_image(manifest: Manifest, region: str) -> tuple[str | None, list[Problem]]:
    """(image URI, problems): a custom image must be in the registry's region; a framework image is looked
    up for the framework, version, region and the instance type's processor."""
    if manifest.image_uri is not None:
        image_region = manifest.image_uri.split(".")[3]
        if image_region == region:
            return manifest.image_uri, []
        allowed = f"an ECR image in {region}, the registry's region"
        return None, [Problem("image_uri", repr(manifest.image_uri), allowed, "image_region")]
    if manifest.framework is None or manifest.framework_version is None:
        return None, []  # the schema has already reported it
    instance_type = getattr(manifest.inference, "instance_type", None)
    resolved = resolve_image(
        str(manifest.framework), manifest.framework_version, region, processor_for(instance_type)
    )
    return (None, [resolved]) if isinstance(resolved, Problem) else (resolved, [])
