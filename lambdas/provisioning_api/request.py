"""Turn an API Gateway request into checked values: path parameters, body, and who is calling."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from lambdas.provisioning_api.errors import ApiError, forbidden, invalid
from mlops_api.operations import MODEL_PARAMETER, VERSION_PARAMETER, Operation
from mlops_manifest.base import MAX_MODEL_NAME, PATH_SEGMENT_PATTERN, SAGEMAKER_NAME_PATTERN
from mlops_manifest.json_reader import read_json
from mlops_manifest.problems import Problem, describe, from_pydantic_errors
from mlops_manifest.text_rules import words_for

M = TypeVar("M", bound=BaseModel)
# ASCII only: \w and friends would let unicode look-alikes through.
_PATTERNS = {
    MODEL_PARAMETER: re.compile(SAGEMAKER_NAME_PATTERN, re.ASCII),
    VERSION_PARAMETER: re.compile(PATH_SEGMENT_PATTERN, re.ASCII),
}
_MAX_LENGTHS = {MODEL_PARAMETER: MAX_MODEL_NAME, VERSION_PARAMETER: 64}


@dataclass(frozen=True)
class ApiRequest:
    """One checked request: its path parameters, raw body and caller."""

    path: dict[str, str]
    body: bytes
    caller: str


def path_parameters(op: Operation, values: dict[str, str]) -> dict[str, str]:
    """The operation's path parameters, each wholly of its pattern (no '..', '/', '%' or unicode)."""
    problems = []
    for name in op.path_parameters:
        value = values.get(name, "")
        pattern = _PATTERNS[name]
        if len(value) > _MAX_LENGTHS[name] or not pattern.fullmatch(value):
            allowed = f"{words_for(pattern.pattern)}, at most {_MAX_LENGTHS[name]} characters"
            problems.append(Problem(name, describe(value), allowed, "bad_path_parameter"))
    if problems:
        raise invalid("the path names a model or version that cannot exist", problems)
    return {name: values[name] for name in op.path_parameters}


def read_body(op: Operation, body: str | None, base64_encoded: bool) -> bytes:
    """The raw body, decoded and no larger than the operation accepts."""
    if body is None:
        return b""
    try:
        raw = (
            base64.b64decode(body, validate=True) if base64_encoded else body.encode("utf-8", "surrogatepass")
        )
    except (binascii.Error, UnicodeEncodeError) as error:
        raise invalid("the body is neither UTF-8 text nor valid base64") from error
    if len(raw) > op.max_body_bytes:
        raise ApiError(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
            "body_too_large",
            f"the body has {len(raw)} bytes; this operation accepts at most {op.max_body_bytes}",
        )
    return raw


def parse_body(raw: bytes, model: type[M], *, optional: bool = False) -> M:
    """The body as `model`, or a 400 that lists every field problem (an empty body is {} when optional).

    Read strictly first, as manifests are: a repeated key, NaN or a byte order mark would otherwise let the
    body mean one thing to the caller's tooling and another here.
    """
    if not raw.strip():
        if optional:
            return model()
        raise invalid("the request needs a JSON body")
    _, problems = read_json(raw)
    if problems:
        raise invalid("the body is not a JSON document this API reads", problems)
    try:
        return model.model_validate_json(raw)
    except ValidationError as error:
        problems = from_pydantic_errors(error.errors(include_url=False))
        raise invalid(f"the body is not a valid {model.__name__}", problems) from error


def caller(event: dict[str, Any]) -> str:
    """The IAM identity that signed the request (API Gateway's request context); 403 when there is none."""
    identity = (event.get("requestContext") or {}).get("identity") or {}
    arn = identity.get("userArn") if isinstance(identity, dict) else None
    if not isinstance(arn, str) or not arn.startswith("arn:"):
        raise forbidden("no_identity", "the request carries no IAM identity: sign it with AWS credentials")
    return arn
