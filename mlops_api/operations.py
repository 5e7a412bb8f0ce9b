"""The provisioning API's operations: path, method, bodies and answers, for the handler, docs and gateway."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel

from mlops_api import models
from mlops_api.mwo import BODY_MODELS
from mlops_api.mwo_result import MwoConversion

# Path parameters, as API Gateway and the OpenAPI document name them.
MODEL_PARAMETER = "name"
VERSION_PARAMETER = "version"
# The largest body API Gateway passes on: a manifest (1 MiB) plus room for JSON escaping.
MAX_BODY_BYTES = 2 * 1024 * 1024
# Bodies other than a manifest are a few hundred bytes.
MAX_SMALL_BODY_BYTES = 16 * 1024


class Method(StrEnum):
    """HTTP methods the API uses."""

    GET = "GET"
    POST = "POST"


class OperationId(StrEnum):
    """Every operation of the API."""

    VALIDATE_MANIFEST = "validateManifest"
    REQUEST_UPLOAD = "requestUpload"
    GET_MODEL = "getModel"
    APPROVE_VERSION = "approveVersion"
    REJECT_VERSION = "rejectVersion"
    ROLL_BACK = "rollBack"
    PROVISION_PIPELINE = "provisionPipeline"


@dataclass(frozen=True)
class Operation:
    """One operation: where it lives, what it takes and what it answers."""

    operation_id: OperationId
    method: Method
    path: str
    summary: str
    response: type[BaseModel]
    success: int = 200
    request: type[BaseModel] | None = None
    raw_manifest_body: bool = False  # the body is a manifest, checked by the register function's rules
    # A body the function checks itself: one of these models, chosen by the value of `discriminator`. No
    # gateway model: API Gateway's draft-4 error text could not name each field problem.
    body_choices: tuple[tuple[str, type[BaseModel]], ...] = ()
    discriminator: str = ""
    errors: tuple[int, ...] = (400, 403)

    @property
    def path_parameters(self) -> tuple[str, ...]:
        """Names of the {parameters} in the path, in order."""
        return tuple(part[1:-1] for part in self.path.split("/") if part.startswith("{"))

    @property
    def max_body_bytes(self) -> int:
        """The largest body this operation accepts."""
        return MAX_BODY_BYTES if self.raw_manifest_body else MAX_SMALL_BODY_BYTES


_VERSION_PATH = "/models/{name}/versions/{version}"


def _decision(operation_id: OperationId, verb: str, summary: str) -> Operation:
    """An answer to a waiting production approval: approve and reject take and answer the same bodies."""
    return Operation(
        operation_id,
        Method.POST,
        f"{_VERSION_PATH}/{verb}",
        summary,
        models.DecisionResult,
        request=models.DecisionRequest,
        errors=(400, 403, 404, 409, 413),
    )


OPERATIONS: tuple[Operation, ...] = (
    Operation(
        OperationId.VALIDATE_MANIFEST,
        Method.POST,
        "/manifests/validate",
        "Check a manifest with the register function's rules; every field-level problem is listed",
        models.ValidationResult,
        raw_manifest_body=True,
        errors=(400, 403, 413),
    ),
    Operation(
        OperationId.REQUEST_UPLOAD,
        Method.POST,
        "/uploads",
        "Pre-signed PUTs for a new version's artifact and manifest, bound to their sizes and digests",
        models.UploadGrant,
        success=201,
        request=models.UploadRequest,
        errors=(400, 403, 409, 413),
    ),
    Operation(
        OperationId.GET_MODEL,
        Method.GET,
        "/models/{name}",
        "Versions, rejections, pipeline executions, endpoints per stage, latest drift and quality",
        models.ModelStatus,
        errors=(400, 403, 404),
    ),
    _decision(
        OperationId.APPROVE_VERSION,
        "approve",
        "Approve the production deployment waiting for this version (not by its uploader)",
    ),
    _decision(
        OperationId.REJECT_VERSION, "reject", "Reject the production deployment waiting for this version"
    ),
    Operation(
        OperationId.ROLL_BACK,
        Method.POST,
        "/models/{name}/rollback",
        "Redeploy the previous approved version through the deployment pipeline",
        models.RollbackResult,
        success=202,
        request=models.RollbackRequest,
        errors=(400, 403, 404, 409, 413),
    ),
    Operation(
        OperationId.PROVISION_PIPELINE,
        Method.POST,
        "/provisionpipeline",
        "Map an MLOps Workload Orchestrator /provisionpipeline body onto a manifest or monitoring section "
        "(nothing is registered; docs/migrating-from-mwo.md)",
        MwoConversion,
        body_choices=tuple((str(kind), model) for kind, model in BODY_MODELS.items()),
        discriminator="pipeline_type",
        errors=(400, 403, 413),
    ),
)


def operation(operation_id: OperationId) -> Operation:
    """The operation with this id."""
    return next(op for op in OPERATIONS if op.operation_id is operation_id)
