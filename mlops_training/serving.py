"""How the trained model is served: the manifest's serving sections, written once in the spec.

The same models as the manifest's, so a spec that validates generates a manifest that validates.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from mlops_manifest.base import StrictModel
from mlops_manifest.deployment import DataCapture, Deployment
from mlops_manifest.inference import InferenceSettings, RealtimeInference
from mlops_manifest.manifest import TagKey, TagValue
from mlops_manifest.monitoring import Monitoring, SmokeTest


class Serving(StrictModel):
    """The manifest fields every registered version of this model gets (see docs/manifest.schema.json)."""

    supported_content_types: list[Annotated[str, StringConstraints(max_length=256)]] = Field(
        default_factory=lambda: ["application/json", "text/csv"], min_length=1, max_length=10
    )
    inference: InferenceSettings = RealtimeInference(type="realtime")  # type: ignore[arg-type]
    data_capture: DataCapture = DataCapture()
    deployment: Deployment = Deployment()
    monitoring: Monitoring = Monitoring()
    smoke_test: SmokeTest | None = None
    tags: dict[TagKey, TagValue] = Field(default_factory=dict, max_length=40)
