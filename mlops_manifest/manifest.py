"""The manifest, schema version 1: what a data scientist uploads next to `model.tar.gz`."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from mlops_manifest import text_rules as rules
from mlops_manifest.base import ModelName, PathSegment, ShortText, StrictModel
from mlops_manifest.checks import cross_check
from mlops_manifest.deployment import DataCapture, Deployment
from mlops_manifest.environment import Environment
from mlops_manifest.inference import InferenceSettings, RealtimeInference
from mlops_manifest.lineage import Lineage
from mlops_manifest.monitoring import Monitoring, SmokeTest

SCHEMA_VERSION = "1"
IMAGE_URI_PATTERN = rules.IMAGE_URI.pattern
ARTIFACT_NAME_PATTERN = rules.ARTIFACT_NAME.pattern

ImageUri = Annotated[str, StringConstraints(pattern=IMAGE_URI_PATTERN)]
Sha256Hex = Annotated[str, StringConstraints(pattern=rules.SHA256_HEX.pattern)]
TagKey = Annotated[str, StringConstraints(pattern=rules.TAG_KEY.pattern)]
TagValue = Annotated[str, StringConstraints(pattern=rules.TAG_VALUE.pattern)]
FrameworkVersion = Annotated[str, StringConstraints(pattern=rules.FRAMEWORK_VERSION.pattern)]
Owner = Annotated[str, StringConstraints(min_length=1, max_length=256, pattern=rules.NON_BLANK.pattern)]


class Framework(StrEnum):
    """Built-in SageMaker framework images the registry can resolve."""

    SKLEARN = "sklearn"
    XGBOOST = "xgboost"
    PYTORCH = "pytorch"
    TENSORFLOW = "tensorflow"
    HUGGINGFACE = "huggingface"


class Artifact(StrictModel):
    """The model archive uploaded next to the manifest and its expected digest."""

    file_name: Annotated[str, StringConstraints(pattern=ARTIFACT_NAME_PATTERN)] = "model.tar.gz"
    sha256: Sha256Hex


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


class Manifest(Serving):
    """Manifest schema v1: identity, artifact, serving image, inference, rollout, monitoring, ownership,
    and (for trained models) lineage."""

    schema_version: Literal["1"]
    model_name: ModelName
    version: PathSegment
    framework: Framework | None = None
    framework_version: FrameworkVersion | None = None
    image_uri: ImageUri | None = None
    artifact: Artifact
    owner: Owner
    description: ShortText = ""
    lineage: Lineage | None = None
    # The serving container's environment (an AutoML candidate's entry point); rules: environment.py.
    environment: Environment = Field(default_factory=dict)

    @model_validator(mode="after")
    def _cross_checks(self) -> Self:
        """Apply the rules that span several fields, reporting all of them at once."""
        problems = cross_check(self)
        if problems:
            raise PydanticCustomError(
                "cross_field",
                "{count} cross-field problem(s)",
                {
                    "count": len(problems),
                    "problems": problems,
                },
            )
        return self
