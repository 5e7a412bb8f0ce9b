"""Request and response bodies of the provisioning API (pydantic v2): one source for handler and OpenAPI."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from mlops_manifest.base import MAX_MODEL_NAME, PATH_SEGMENT_PATTERN, SAGEMAKER_NAME_PATTERN
from mlops_manifest.manifest import ARTIFACT_NAME_PATTERN
from mlops_manifest.text_rules import SHA256_HEX
from mlops_manifest.validate import MAX_MANIFEST_BYTES

# S3 takes at most 5 GiB in one PUT; larger artifacts need a multipart upload (`mlops push`).
MAX_SINGLE_PUT_BYTES = 5 * 1024**3
MAX_COMMENT_CHARS = 512  # CodePipeline's limit on an approval summary

ModelName = Annotated[str, StringConstraints(pattern=SAGEMAKER_NAME_PATTERN, max_length=MAX_MODEL_NAME)]
VersionLabel = Annotated[str, StringConstraints(pattern=PATH_SEGMENT_PATTERN)]
Sha256 = Annotated[str, StringConstraints(pattern=SHA256_HEX.pattern)]
Comment = Annotated[str, StringConstraints(min_length=1, max_length=MAX_COMMENT_CHARS)]


class Body(BaseModel):
    """Base of every body: unknown fields are errors, values are never coerced from another type."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class ProblemBody(Body):
    """One problem with a request or a manifest: where, what was found, what is allowed."""

    path: str
    found: str
    allowed: str
    code: str


class ErrorBody(Body):
    """Every refused request: a machine-readable code, a sentence naming the problem, field problems."""

    error: str
    message: str
    problems: list[ProblemBody] = Field(default_factory=list)


class ValidationResult(Body):
    """The register function's verdict on a manifest (schema and serving image), without uploading it."""

    valid: bool
    model_name: str | None = None
    version: str | None = None
    image_uri: str | None = None
    problems: list[ProblemBody] = Field(default_factory=list)


class UploadRequest(Body):
    """What is about to be uploaded: the model version, its artifact and its manifest, by size and digest."""

    model_name: ModelName
    version: VersionLabel
    artifact_size_bytes: int = Field(ge=1, le=MAX_SINGLE_PUT_BYTES)
    artifact_sha256: Sha256
    artifact_file_name: Annotated[str, StringConstraints(pattern=ARTIFACT_NAME_PATTERN)] = "model.tar.gz"
    manifest_size_bytes: int = Field(ge=1, le=MAX_MANIFEST_BYTES)
    manifest_sha256: Sha256


class PresignedPut(Body):
    """A pre-signed S3 PUT: send exactly these headers and bytes, or S3 refuses the upload."""

    method: Literal["PUT"] = "PUT"
    url: str
    bucket: str
    key: str
    headers: dict[str, str]
    expires_at: str


class UploadGrant(Body):
    """Where to PUT the artifact and then the manifest (the manifest last: it starts registration)."""

    model_name: str
    version: str
    artifact: PresignedPut
    manifest: PresignedPut


class RegistryVersion(Body):
    """One registered version: its approval state in the model registry and its artifact digest."""

    version: str
    package_version: int | None
    approval: str
    approval_description: str
    sha256: str
    created: str
    arn: str


class Rejection(Body):
    """The latest rejection report of one uploaded version."""

    version: str
    report: str
    rejected_at: str
    problem_count: int
    problems: list[dict[str, Any]]


class Execution(Body):
    """A deployment pipeline execution of this model and the stage it last reached."""

    pipeline: str
    execution_id: str
    version: str
    status: str
    started: str
    stage: str
    stage_status: str


class Verdict(Body):
    """The latest drift or model-quality check of an endpoint."""

    status: str
    details: dict[str, Any] = Field(default_factory=dict)


class EndpointState(Body):
    """One stage's endpoint as SageMaker reports it, with its latest drift and quality verdicts."""

    stage: str
    endpoint: str
    status: str
    health: str
    failure_reason: str = ""
    variants: list[dict[str, Any]] = Field(default_factory=list)
    drift: Verdict | None = None
    quality: Verdict | None = None


class ModelStatus(Body):
    """Everything known about a model: versions, rejections, executions, endpoints per stage."""

    model_name: str
    versions: list[RegistryVersion]
    rejections: list[Rejection]
    executions: list[Execution]
    endpoints: list[EndpointState]


class DecisionRequest(Body):
    """An optional comment recorded with the approval or rejection."""

    comment: Comment | None = None


class DecisionResult(Body):
    """The production approval that was answered."""

    model_name: str
    version: str
    decision: Literal["Approved", "Rejected"]
    pipeline: str
    execution_id: str


class RollbackRequest(Body):
    """An optional reason recorded with the rollback."""

    comment: Comment | None = None


class RollbackResult(Body):
    """The pipeline execution that redeploys the previous approved version."""

    model_name: str
    from_version: str
    to_version: str
    pipeline: str
    execution_id: str
