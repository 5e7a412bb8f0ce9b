"""API Gateway's side of a REST proxy integration: which operation a request is, and the event it makes."""

from __future__ import annotations

import base64
import re
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote

from mlops_api.operations import OPERATIONS, Operation
from mlops_local.api_auth import Caller
from mlops_local.moto_server import ACCOUNT


@dataclass(frozen=True)
class Incoming:
    """One request as the server read it."""

    method: str
    path: str  # without the stage, e.g. /models/churn
    query: str
    headers: dict[str, str]
    body: bytes
    source_ip: str


def _pattern(path: str) -> re.Pattern[str]:
    """A resource path's regex: each {parameter} is one non-empty path segment."""
    return re.compile("^" + re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(path)) + "$")


_ROUTES = [(_pattern(op.path), op) for op in OPERATIONS]


def match(method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
    """The operation at this method and path, with its URL-decoded path parameters."""
    for pattern, op in _ROUTES:
        found = pattern.match(path)
        if found and op.method == method:
            return op, {name: unquote(value) for name, value in found.groupdict().items()}
    return None


def proxy_event(
    request: Incoming, op: Operation, path: dict[str, str], caller: Caller, stage: str
) -> dict[str, Any]:
    """The REST API proxy event API Gateway sends the function for this request."""
    try:
        body, encoded = (request.body.decode("utf-8"), False) if request.body else (None, False)
    except UnicodeDecodeError:
        body, encoded = base64.b64encode(request.body).decode(), True
    query = {name: values[-1] for name, values in parse_qs(request.query).items()}
    return {
        "resource": op.path,
        "path": request.path,
        "httpMethod": request.method,
        "headers": request.headers,
        "multiValueHeaders": {name: [value] for name, value in request.headers.items()},
        "queryStringParameters": query or None,
        "pathParameters": path or None,
        "stageVariables": None,
        "body": body,
        "isBase64Encoded": encoded,
        "requestContext": _request_context(request, op, caller, stage),
    }


def _request_context(request: Incoming, op: Operation, caller: Caller, stage: str) -> dict[str, Any]:
    """The proxy event's requestContext: stage, request id and the identity that signed."""
    identity = {"userArn": caller.arn, "accessKey": caller.access_key, "accountId": ACCOUNT}
    identity |= {"caller": caller.arn.rsplit("/", 1)[-1], "sourceIp": request.source_ip, "user": caller.arn}
    return {
        "resourcePath": op.path,
        "httpMethod": request.method,
        "path": f"/{stage}{request.path}",
        "stage": stage,
        "requestId": str(uuid.uuid4()),
        "requestTimeEpoch": int(time.time() * 1000),
        "accountId": ACCOUNT,
        "apiId": "local",
        "protocol": "HTTP/1.1",
        "identity": identity,
    }


def api_stage(template: dict[str, Any]) -> str:
    """The stage name of the template's REST API (the URL's first segment)."""
    stages = [r for r in template["Resources"].values() if r["Type"] == "AWS::ApiGateway::Stage"]
    if len(stages) != 1:
        raise ValueError(f"the tooling template has {len(stages)} API Gateway stages; local mode serves one")
    return str(stages[0]["Properties"]["StageName"])
