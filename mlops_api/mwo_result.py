"""The answer of POST /provisionpipeline: what an MWO body becomes here, and how to finish the move."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from mlops_api.models import Body


class IgnoredField(Body):
    """An MWO field that is accepted but not carried over, and why."""

    field: str
    found: str
    reason: str


class ObjectCopy(Body):
    """An object MWO read from its own buckets that the registry must hold before registration."""

    field: str
    source: str
    target: str


class MwoConversion(Body):
    """An MWO body mapped onto a manifest (BYOM types) or a monitoring section (monitor types); nothing is
    registered: upload the manifest with POST /uploads (or mlops push) after the copies."""

    pipeline_type: str
    model_name: str
    manifest: dict[str, Any] | None = Field(default=None, description="BYOM types: the manifest")
    manifest_text: str | None = Field(default=None, description="The manifest to upload, byte for byte")
    manifest_sha256: str | None = None
    manifest_size_bytes: int | None = None
    image_uri: str | None = Field(
        default=None, description="The image the registry will serve the model with"
    )
    monitoring: dict[str, Any] | None = Field(
        default=None, description="Monitor types: the monitoring section for the model's next version"
    )
    copies: list[ObjectCopy] = Field(default_factory=list)
    ignored: list[IgnoredField] = Field(default_factory=list)
    next_steps: list[str] = Field(default_factory=list)
