"""What runs: a built-in algorithm, a framework image with a script from S3, a custom image, or AutoML."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from mlops_manifest.base import NonEmptyName, StrictModel
from mlops_manifest.images import supported_versions
from mlops_manifest.manifest import Framework, FrameworkVersion, ImageUri
from mlops_manifest.monitoring import ProblemType
from mlops_manifest.problems import Problem, describe
from mlops_training import text_rules as rules
from mlops_training.base import no_dot_segments, refuse, under_allowed_prefix


class JobKind(StrEnum):
    """The closed set of ways a model is trained."""

    BUILTIN_ALGORITHM = "builtin_algorithm"
    FRAMEWORK_SCRIPT = "framework_script"
    CUSTOM_IMAGE = "custom_image"
    AUTOML = "automl"


class BuiltinAlgorithm(StrEnum):
    """SageMaker built-in algorithms for supervised tabular data (evaluation needs labels)."""

    XGBOOST = "xgboost"
    LINEAR_LEARNER = "linear-learner"
    KNN = "knn"
    FACTORIZATION_MACHINES = "factorization-machines"


def _compiles(regex: str) -> str:
    """Refuse a metric regex that does not compile: the job would find no metric at all."""
    try:
        re.compile(regex)
    except re.error as error:
        raise ValueError(f"a regular expression that compiles ({error.msg})") from None
    return regex


MetricName = Annotated[str, StringConstraints(pattern=rules.METRIC_NAME.pattern)]
MetricRegex = Annotated[str, StringConstraints(min_length=1, max_length=500), AfterValidator(_compiles)]
EntryPoint = Annotated[str, StringConstraints(pattern=rules.ENTRY_POINT.pattern)]
SourceArchive = Annotated[
    str,
    StringConstraints(pattern=rules.SOURCE_ARCHIVE.pattern, max_length=1024),
    AfterValidator(no_dot_segments),
    AfterValidator(under_allowed_prefix),
]


def version_problems(field: str, framework: str, version: str | None) -> list[Problem]:
    """A version the image table knows, so that the trained model can be served."""
    versions = supported_versions(framework)
    if version in versions:
        return []
    found = "(missing)" if version is None else describe(version)
    return [Problem(field, found, f"a {framework} version: {', '.join(versions)}", "unsupported")]


class MetricDefinition(StrictModel):
    """A metric the job prints to its log, found by a regular expression whose first group is the value."""

    name: MetricName
    regex: MetricRegex


class BuiltinAlgorithmJob(StrictModel):
    """A SageMaker built-in algorithm; XGBoost needs a version of the framework image table."""

    kind: Literal[JobKind.BUILTIN_ALGORITHM]
    algorithm: BuiltinAlgorithm
    version: FrameworkVersion | None = None

    @model_validator(mode="after")
    def _xgboost_version(self) -> Self:
        """XGBoost is served by its framework image, so its version must be one the table has."""
        if self.algorithm is BuiltinAlgorithm.XGBOOST:
            refuse(version_problems("version", "xgboost", self.version))
        return self


class FrameworkScriptJob(StrictModel):
    """A SageMaker framework image running a script from a code archive in S3 (script mode)."""

    kind: Literal[JobKind.FRAMEWORK_SCRIPT]
    framework: Framework
    framework_version: FrameworkVersion
    source_uri: SourceArchive
    entry_point: EntryPoint
    metric_definitions: list[MetricDefinition] = Field(default_factory=list, max_length=40)

    @model_validator(mode="after")
    def _known_version(self) -> Self:
        """The framework version must be one the registry can serve."""
        refuse(version_problems("framework_version", str(self.framework), self.framework_version))
        return self


class CustomImageJob(StrictModel):
    """A team's own training image from private ECR."""

    kind: Literal[JobKind.CUSTOM_IMAGE]
    image_uri: ImageUri
    metric_definitions: list[MetricDefinition] = Field(default_factory=list, max_length=40)


class AutoMLJob(StrictModel):
    """Autopilot V2 on tabular data (ensembling mode: one serving container); it picks instances itself."""

    kind: Literal[JobKind.AUTOML]
    problem_type: ProblemType
    target_column: NonEmptyName
    max_candidates: int = Field(default=10, ge=1, le=250)
    max_runtime_minutes: int = Field(default=24 * 60, ge=60, le=30 * 24 * 60)


JobSettings = Annotated[
    BuiltinAlgorithmJob | FrameworkScriptJob | CustomImageJob | AutoMLJob, Field(discriminator="kind")
]
