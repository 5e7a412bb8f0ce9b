"""Request bodies are read as strictly as manifests: nothing ambiguous reaches a decision or a grant."""

from __future__ import annotations

import codecs
import json

import pytest

from tests.handlers.provisioning_api.conftest import ALICE, BOB, PIPELINES, REGISTRY
from tests.handlers.provisioning_api.registry_world import deployed, register

UPLOAD = (
    '"version": "v2", "artifact_size_bytes": 1234, "artifact_sha256": "' + "b" * 64 + '", '
    '"manifest_size_bytes": 300, "manifest_sha256": "' + "c" * 64 + '"'
)


@pytest.mark.parametrize(
    ("text", "code", "path"),
    [
        # The grant would name one model while a reviewer of the request, or a proxy, reads the other.
        ('{"model_name": "churn", "model_name": "fraud", ' + UPLOAD + "}", "duplicate_key", "model_name"),
        (
            '{"model_name": "churn", ' + UPLOAD.replace("1234", "NaN") + "}",
            "non_finite",
            "artifact_size_bytes",
        ),
        (
            '{"model_name": "churn", ' + UPLOAD.replace("1234", "1e999") + "}",
            "non_finite",
            "artifact_size_bytes",
        ),
        (
            '{"model_name": "churn", ' + UPLOAD.replace("1234", "1" * 40) + "}",
            "non_finite",
            "artifact_size_bytes",
        ),
    ],
)
def test_an_ambiguous_upload_request_is_refused_naming_the_field(api, text, code, path):
    status, body = api.call("POST", "/uploads", text)

    assert status == 400 and body["error"] == "invalid_request"
    assert [(p["code"], p["path"]) for p in body["problems"]] == [(code, path)]
    assert api.s3.list_objects_v2(Bucket=REGISTRY).get("KeyCount") == 0


@pytest.mark.parametrize(
    ("encoded", "named"),
    [
        (codecs.BOM_UTF8 + b'{"model_name": "churn"}', "UTF-8 with a byte order mark"),
        ('{"model_name": "churn"}'.encode("utf-16-le"), "UTF-16 little-endian"),
        (b'{"model_name": "ch\xffurn"}', "not UTF-8 (byte 0xff at offset 18)"),
    ],
)
def test_a_body_in_another_encoding_names_the_encoding(api, encoded, named):
    status, body = api.call("POST", "/uploads", encoded)

    assert status == 400
    (problem,) = body["problems"]
    assert problem["code"] == "encoding" and named in problem["found"]


def test_a_deeply_nested_comment_is_refused_in_words(api):
    text = '{"comment": ' + "[" * 40 + "]" * 40 + "}"

    status, body = api.call("POST", "/models/churn/versions/v2/approve", text, caller=BOB)

    assert status == 400
    (problem,) = body["problems"]
    assert problem["code"] == "too_deep" and "41 levels" in problem["found"]


def test_an_approval_with_a_repeated_comment_answers_nothing(api):
    arn = register(api, "churn", "v2", uploader=ALICE)
    deployed(api, "churn", "v2", arn, "e2", status="InProgress")
    api.pipelines.waiting[PIPELINES["realtime"]] = "e2"
    text = json.dumps({"comment": "looks fine"})[:-1] + ', "comment": "metrics not reviewed"}'

    status, body = api.call("POST", "/models/churn/versions/v2/approve", text, caller=BOB)

    assert status == 400 and body["problems"][0]["code"] == "duplicate_key"
    assert api.pipelines.answers == []
