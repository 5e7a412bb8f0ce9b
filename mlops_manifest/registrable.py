"""The register function's checks on a manifest alone: the schema, then the serving image it resolves to."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from mlops_manifest.problems import Problem
from mlops_manifest.serving_image import serving_image
from mlops_manifest.validate import validate_manifest

if TYPE_CHECKING:
    from mlops_manifest.manifest import Manifest


def check_manifest(
    raw: bytes, region: str, image_accounts: Collection[str] | None = None, *, size: int | None = None
) -> tuple[Manifest | None, str | None, list[Problem]]:
    """Schema checks plus image resolution: (manifest, image URI, problems); image accounts None: the
    registry's allow-list is unknown here, so a custom image's account is left to the register function."""
    parsed = validate_manifest(raw, size=size)
    if isinstance(parsed, list):
        return None, None, parsed
    image, problems = serving_image(parsed, region, image_accounts)
    return parsed, image, problems
