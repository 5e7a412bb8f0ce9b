"""POST /manifests/validate answers as the register function does; POST /uploads grants bound, new PUTs."""

from __future__ import annotations

import base64
import hashlib
import json
from urllib.parse import parse_qs, urlparse

import pytest

from tests.handlers.provisioning_api.conftest import ALICE, REGISTRY
from tests.manifest_samples import minimal_manifest

SHA = "b" * 64


def upload_request(**overrides):
    return {
        "model_name": "churn",
        "version": "v2",
        "artifact_size_bytes": 1234,
        "artifact_sha256": SHA,
        "manifest_size_bytes": 300,
        "manifest_sha256": "c" * 64,
        **overrides,
    }


def test_a_valid_manifest_is_valid_with_its_image(api):
    status, body = api.call("POST", "/manifests/validate", minimal_manifest())

    assert status == 200
    assert body["valid"] is True
    assert (body["model_name"], body["version"]) == ("churn", "v1")
    assert "sagemaker-xgboost:1.7-1" in body["image_uri"]


def test_every_field_problem_is_listed_with_its_path(api):
    manifest = minimal_manifest(model_name="bad name!", artifact={"sha256": "XYZ"}, owner=None)

    status, body = api.call("POST", "/manifests/validate", manifest)

    assert status == 200 and body["valid"] is False
    paths = {problem["path"] for problem in body["problems"]}
    assert {"model_name", "artifact.sha256", "owner"} <= paths
    assert all(set(problem) == {"path", "found", "allowed", "code"} for problem in body["problems"])


@pytest.mark.parametrize(
    ("text", "code"),
    [("{not json", "not_json"), ("[1, 2]", "not_object"), ('{"a": 1, "a": 2}', "duplicate_key")],
)
def test_a_body_that_is_no_manifest_is_a_problem_not_a_crash(api, text, code):
    status, body = api.call("POST", "/manifests/validate", text)

    assert status == 200 and body["valid"] is False
    assert code in {problem["code"] for problem in body["problems"]}


def test_a_huge_body_is_refused_before_it_is_parsed(api):
    status, body = api.call("POST", "/manifests/validate", "x" * (3 * 1024 * 1024))

    assert status == 413
    assert body["error"] == "body_too_large"


def test_upload_urls_are_bound_to_length_checksum_and_requester(api):
    # moto accepts any bytes on a pre-signed PUT, so the binding is checked where S3 enforces it: the
    # headers signed into the URL (S3 refuses a request whose signed headers differ).
    status, body = api.call("POST", "/uploads", upload_request())

    assert status == 201
    artifact = body["artifact"]
    assert artifact["key"] == "models/churn/v2/model.tar.gz" and artifact["bucket"] == REGISTRY
    assert body["manifest"]["key"] == "models/churn/v2/manifest.json"
    signed = parse_qs(urlparse(artifact["url"]).query)["X-Amz-SignedHeaders"][0].split(";")
    assert {"content-length", "x-amz-checksum-sha256", "x-amz-meta-requested-by"} <= set(signed)
    assert artifact["headers"]["Content-Length"] == "1234"
    assert artifact["headers"]["x-amz-checksum-sha256"] == base64.b64encode(bytes.fromhex(SHA)).decode()
    assert artifact["headers"]["x-amz-meta-requested-by"] == ALICE


def test_a_granted_url_uploads_the_declared_bytes(api):
    import requests

    data = b"model bytes"
    request = upload_request(artifact_size_bytes=len(data), artifact_sha256=hashlib.sha256(data).hexdigest())
    _, body = api.call("POST", "/uploads", request)

    put = body["artifact"]
    response = requests.put(put["url"], data=data, headers=put["headers"], timeout=5)

    assert response.status_code == 200
    stored = api.s3.head_object(Bucket=REGISTRY, Key=put["key"])
    assert stored["Metadata"]["requested-by"] == ALICE


@pytest.mark.parametrize("existing", ["models/churn/v2/model.tar.gz", "registrations/churn/v2.json"])
def test_a_version_that_exists_is_refused(api, existing):
    api.s3.put_object(Bucket=REGISTRY, Key=existing, Body=b"{}")

    status, body = api.call("POST", "/uploads", upload_request())

    assert status == 409
    assert "v2" in body["message"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("artifact_size_bytes", -1),
        ("artifact_size_bytes", 0),
        ("artifact_size_bytes", 10**18),
        ("artifact_size_bytes", "1234"),
        ("artifact_size_bytes", True),
        ("artifact_sha256", "B" * 64),
        ("artifact_sha256", "b" * 63),
        ("version", "../v2"),
        ("version", "v2/../../x"),
        ("model_name", "churn/../../etc"),
        ("model_name", "chürn"),
        ("artifact_file_name", "../model.tar.gz"),
        ("manifest_size_bytes", 2 * 1024 * 1024),
    ],
)
def test_bad_upload_fields_are_named(api, field, value):
    status, body = api.call("POST", "/uploads", upload_request(**{field: value}))

    assert status == 400
    assert body["error"] == "invalid_request"
    assert [problem["path"] for problem in body["problems"]] == [field]
    assert api.s3.list_objects_v2(Bucket=REGISTRY).get("KeyCount") == 0


def test_an_artifact_above_the_registry_limit_is_refused(api):
    status, body = api.call("POST", "/uploads", upload_request(artifact_size_bytes=2 * 1024**3))

    assert status == 400
    assert body["problems"][0]["code"] == "too_large"


@pytest.mark.parametrize("text", ["", "not json", "[]", json.dumps({**upload_request(), "extra": 1})])
def test_an_upload_body_that_is_not_the_request_is_a_400(api, text):
    status, body = api.call("POST", "/uploads", text)

    assert status == 400 and body["message"]
    assert "Traceback" not in json.dumps(body)


def test_a_request_without_identity_is_forbidden(api):
    status, body = api.call("POST", "/uploads", upload_request(), caller=None)

    assert status == 403 and body["error"] == "no_identity"
