"""Property test: requests generated from docs/openapi.json (valid and invalid) get only documented answers.

Schemathesis generates the cases from the committed document; each case becomes an API Gateway event for the
handler in-process (moto behind it), so no server or network is needed.
"""

from __future__ import annotations

import base64
import json

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from schemathesis import GenerationMode
from schemathesis.core import NOT_SET

from lambdas.provisioning_api import handler
from tests.handlers.fakes import FakeContext
from tests.handlers.provisioning_api.conftest import api_event
from tests.unit.api.test_openapi_document import OPENAPI_FILE

DOCUMENT = json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))
SCHEMA = schemathesis.openapi.from_dict(DOCUMENT)
BASE = "urn:mlops-api"
REGISTRY = Registry().with_resource(BASE, Resource(contents=DOCUMENT, specification=DRAFT202012))
OPERATIONS = [(method, path) for path, item in DOCUMENT["paths"].items() for method in item]


def _answer_schema(method: str, path: str, status: int) -> Draft202012Validator:
    answers = DOCUMENT["paths"][path][method]["responses"]
    assert str(status) in answers, f"{method.upper()} {path} answered an undocumented {status}"
    ref = answers[str(status)]["content"]["application/json"]["schema"]["$ref"]
    return Draft202012Validator({"$ref": BASE + ref}, registry=REGISTRY)


def _event(case):
    """The case as API Gateway passes it on: raw bytes arrive base64-encoded."""
    if isinstance(case.body, bytes):
        event = api_event(case.method.upper(), case.formatted_path, base64.b64encode(case.body).decode())
        return {**event, "isBase64Encoded": True}
    body = None if case.body is NOT_SET else json.dumps(case.body)
    return api_event(case.method.upper(), case.formatted_path, body)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=lambda value: str(value))
def test_every_generated_request_gets_a_documented_answer(api, method, path, mode):
    strategy = SCHEMA[path][method.upper()].as_strategy(generation_mode=mode)

    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(case=strategy)
    def check(case):
        response = handler.lambda_handler(_event(case), FakeContext())
        status, body = response["statusCode"], json.loads(response["body"])
        assert status < 500, body
        errors = list(_answer_schema(method, path, status).iter_errors(body))
        assert errors == [], errors

    check()
