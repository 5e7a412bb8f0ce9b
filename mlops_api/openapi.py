"""The provisioning API's OpenAPI 3.1 document and API Gateway's request models, from the same models."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from mlops_api import models
from mlops_api.operations import MODEL_PARAMETER, OPERATIONS, VERSION_PARAMETER, Operation
from mlops_manifest.base import MAX_MODEL_NAME, PATH_SEGMENT_PATTERN, SAGEMAKER_NAME_PATTERN

API_TITLE = "MLOps Orchestrator provisioning API"
API_VERSION = "1.0.0"
SECURITY_SCHEME = "sigv4"
_REF = "#/components/schemas/{model}"
_STATUS_TEXT = {
    200: "OK",
    201: "Created",
    202: "Accepted",
    400: "The request is malformed; the body names every problem",
    403: "Not signed with IAM credentials, not allowed, or refused by separation of duties",
    404: "No such model, version or waiting approval",
    409: "Conflicts with the current state (the version exists, nothing waits for approval)",
    413: "The body is larger than the operation accepts",
}
_PATH_SCHEMAS: dict[str, dict[str, Any]] = {
    MODEL_PARAMETER: {"type": "string", "pattern": SAGEMAKER_NAME_PATTERN, "maxLength": MAX_MODEL_NAME},
    VERSION_PARAMETER: {"type": "string", "pattern": PATH_SEGMENT_PATTERN},
}
_MANIFEST_BODY = {
    "description": "A manifest document (docs/manifest.schema.json); any bytes are checked, none rejected",
    "type": "object",
}


def _components() -> dict[str, Any]:
    """Every body model's schema under components/schemas (response models in serialization mode)."""
    pairs: list[tuple[type[BaseModel], Any]] = [(models.ErrorBody, "serialization")]
    for op in OPERATIONS:
        pairs.append((op.response, "serialization"))
        if op.request is not None:
            pairs.append((op.request, "validation"))
        pairs.extend((choice, "validation") for _, choice in op.body_choices)
    _, schema = models_json_schema(list(dict.fromkeys(pairs)), ref_template=_REF)
    return dict(sorted(schema.get("$defs", {}).items()))


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": _REF.format(model=model.__name__)}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _operation(op: Operation) -> dict[str, Any]:
    """One operation object: parameters, body, answers and the IAM security requirement."""
    answers = {str(op.success): {"description": _STATUS_TEXT[op.success], **_json(_ref(op.response))}}
    answers |= {
        str(code): {"description": _STATUS_TEXT[code], **_json(_ref(models.ErrorBody))} for code in op.errors
    }
    document: dict[str, Any] = {
        "operationId": str(op.operation_id),
        "summary": op.summary,
        "security": [{SECURITY_SCHEME: []}],
        "responses": answers,
    }
    if op.path_parameters:
        document["parameters"] = [
            {"name": name, "in": "path", "required": True, "schema": _PATH_SCHEMAS[name]}
            for name in op.path_parameters
        ]
    if op.raw_manifest_body:
        document["requestBody"] = {"required": True, **_json(_MANIFEST_BODY)}
    elif op.body_choices:
        document["requestBody"] = {"required": True, **_json(_one_of(op))}
    elif op.request is not None:
        required = bool(op.request.model_json_schema().get("required"))
        document["requestBody"] = {"required": required, **_json(_ref(op.request))}
    return document


def _one_of(op: Operation) -> dict[str, Any]:
    """A body that is one of several models, told apart by the value of one field."""
    mapping = {value: _ref(choice)["$ref"] for value, choice in op.body_choices}
    refs = [{"$ref": ref} for ref in mapping.values()]
    return {"oneOf": refs, "discriminator": {"propertyName": op.discriminator, "mapping": mapping}}


def document() -> dict[str, Any]:
    """The whole OpenAPI document."""
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op)
    return {
        "openapi": "3.1.0",
        "info": {"title": API_TITLE, "version": API_VERSION},
        "paths": paths,
        "components": {
            "schemas": _components(),
            "securitySchemes": {
                SECURITY_SCHEME: {
                    "type": "apiKey",
                    "name": "Authorization",
                    "in": "header",
                    "description": "AWS Signature Version 4 (API Gateway IAM authorization)",
                    "x-amazon-apigateway-authtype": "awsSigv4",
                }
            },
        },
    }


def render() -> str:
    """The document as committed to docs/openapi.json."""
    return json.dumps(document(), indent=2, sort_keys=True) + "\n"


def gateway_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A request model as JSON Schema draft 4, the dialect API Gateway models are written in."""
    schema: dict[str, Any] = _draft4(model.model_json_schema(mode="validation"))
    schema["$schema"] = "http://json-schema.org/draft-04/schema#"
    return schema


def _draft4(node: Any) -> Any:
    """Drop what draft 4 lacks or API Gateway ignores (titles, defaults, const), keeping every constraint."""
    if isinstance(node, list):
        return [_draft4(item) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node or "$defs" in node:
        raise ValueError("API Gateway request models here are flat: nested models are not converted")
    converted = {k: _draft4(v) for k, v in node.items() if k not in {"title", "default", "const"}}
    if "const" in node:
        converted["enum"] = [node["const"]]
    return converted
