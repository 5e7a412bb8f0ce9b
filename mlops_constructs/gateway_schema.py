"""API Gateway's typed JsonSchema from a draft-4 dictionary (mlops_api.openapi.gateway_schema)."""

import re
from typing import Any

from aws_cdk import aws_apigateway as apigw

_VERSIONS = {"http://json-schema.org/draft-04/schema#": apigw.JsonSchemaVersion.DRAFT4}
_NESTED = {"properties", "anyOf", "items", "additionalProperties"}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def json_schema(schema: dict[str, Any]) -> apigw.JsonSchema:
    """Convert every keyword, recursively; an unknown keyword raises (no constraint is dropped silently)."""
    fields: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "$schema":
            fields["schema"] = _VERSIONS[value]
        elif key == "type":
            fields["type"] = apigw.JsonSchemaType[value.upper()]
        elif key == "properties":
            fields["properties"] = {name: json_schema(inner) for name, inner in value.items()}
        elif key == "anyOf":
            fields["any_of"] = [json_schema(inner) for inner in value]
        elif key in _NESTED and isinstance(value, dict):
            fields[_snake(key)] = json_schema(value)
        else:
            fields[_snake(key)] = value
    return apigw.JsonSchema(**fields)
