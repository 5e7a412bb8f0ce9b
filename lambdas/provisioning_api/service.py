"""Route a checked request to the domain function of its operation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from lambdas.common.function_runtime import boto3_clients
from lambdas.provisioning_api.decisions import Verdict, decide
from lambdas.provisioning_api.mwo_route import provision_pipeline
from lambdas.provisioning_api.request import ApiRequest, parse_body
from lambdas.provisioning_api.rollback import roll_back
from lambdas.provisioning_api.settings import Settings
from lambdas.provisioning_api.status import model_status
from lambdas.provisioning_api.uploads import grant_upload
from lambdas.provisioning_api.validation import validate
from mlops_api.models import DecisionRequest, RollbackRequest, UploadRequest
from mlops_api.operations import MODEL_PARAMETER, VERSION_PARAMETER, Operation, OperationId


@dataclass(frozen=True)
class Clients:
    """The boto3 clients the provisioning API uses."""

    s3: Any
    sagemaker: Any
    codepipeline: Any
    sns: Any


def build_clients(_: Settings | None = None) -> Clients:
    """One client per service; S3 signs with Signature Version 4, the only one that binds a pre-signed PUT
    to its length and checksum (boto3 may pre-sign with version 2 otherwise)."""
    import boto3
    from botocore.config import Config

    s3 = boto3.client("s3", config=Config(signature_version="s3v4", s3={"addressing_style": "virtual"}))
    return boto3_clients(Clients, s3=s3)


def answer(
    op: Operation, request: ApiRequest, clients: Clients, settings: Settings, now: datetime
) -> BaseModel:
    """The body of the operation's answer; refusals are raised as ApiError."""
    model = request.path.get(MODEL_PARAMETER, "")
    match op.operation_id:
        case OperationId.VALIDATE_MANIFEST:
            return validate(request.body, settings.region, settings.image_accounts)
        case OperationId.REQUEST_UPLOAD:
            upload = parse_body(request.body, UploadRequest)
            return grant_upload(upload, request.caller, clients.s3, settings, now)
        case OperationId.GET_MODEL:
            return model_status(model, clients, settings)
        case OperationId.APPROVE_VERSION | OperationId.REJECT_VERSION:
            comment = parse_body(request.body, DecisionRequest, optional=True).comment
            verdict: Verdict = "Approved" if op.operation_id is OperationId.APPROVE_VERSION else "Rejected"
            version = request.path[VERSION_PARAMETER]
            return decide(model, version, verdict, comment, request.caller, clients, settings)
        case OperationId.ROLL_BACK:
            parse_body(request.body, RollbackRequest, optional=True)
            return roll_back(model, clients, settings)
        case OperationId.PROVISION_PIPELINE:
            return provision_pipeline(request.body, request.caller, settings)
    raise AssertionError(f"no domain function for {op.operation_id}")  # every OperationId is matched above
