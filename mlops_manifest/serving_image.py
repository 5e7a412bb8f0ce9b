"""Which image serves a manifest's model: the one rule the register function and `mlops validate` share."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from mlops_manifest.image_policy import custom_image_problems
from mlops_manifest.images import processor_for, resolve_image
from mlops_manifest.problems import Problem

if TYPE_CHECKING:  # the register function's cold start does not load the pydantic models for this
    from mlops_manifest.manifest import Manifest


def serving_image(
    manifest: Manifest, region: str, image_accounts: Collection[str] | None = ()
) -> tuple[str | None, list[Problem]]:
    """(image URI, problems): a custom image must be ECR in the registry's region and partition, from AWS's
    image accounts or `image_accounts` (None: accounts unknown, not checked); a framework image is looked up
    for the framework, version, region and the instance type's processor."""
    if manifest.image_uri is not None:
        problems = custom_image_problems(manifest.image_uri, region, image_accounts)
        return (None, problems) if problems else (manifest.image_uri, [])
    if manifest.framework is None or manifest.framework_version is None:
        return None, []  # the schema has already reported it
    instance_type = getattr(manifest.inference, "instance_type", None)
    resolved = resolve_image(
        str(manifest.framework), manifest.framework_version, region, processor_for(instance_type)
    )
    return (None, [resolved]) if isinstance(resolved, Problem) else (resolved, [])
