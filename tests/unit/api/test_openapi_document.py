"""The committed OpenAPI document is what the models generate, and it describes every operation."""

from __future__ import annotations

import json
from pathlib import Path

from mlops_api import models
from mlops_api.openapi import gateway_schema, render
from mlops_api.operations import OPERATIONS

ROOT = Path(__file__).resolve().parents[3]
OPENAPI_FILE = ROOT / "docs" / "openapi.json"


def test_committed_document_is_current():
    committed = OPENAPI_FILE.read_text(encoding="utf-8")
    assert committed == render(), "stale: run python scripts/generate_openapi.py"


def test_every_operation_is_signed_with_iam():
    document = json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))
    found = [
        (path, method, op["security"])
        for path, item in document["paths"].items()
        for method, op in item.items()
    ]
    assert len(found) == len(OPERATIONS) == 7
    assert all(security == [{"sigv4": []}] for _, _, security in found)


def test_upload_request_schema_keeps_the_constraints_for_api_gateway():
    schema = gateway_schema(models.UploadRequest)
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    assert schema["additionalProperties"] is False
    size = schema["properties"]["artifact_size_bytes"]
    assert (size["minimum"], size["maximum"]) == (1, 5 * 1024**3)
    assert schema["properties"]["artifact_sha256"]["pattern"] == "^[0-9a-f]{64}$"
    assert "title" not in json.dumps(schema)


def test_error_answers_name_the_problem():
    document = json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))
    error = document["components"]["schemas"]["ErrorBody"]
    assert set(error["required"]) == {"error", "message"}
