"""The CLI's API calls: SigV4-signed as the session's identity, refusals and network failures as CliErrors."""

import io
import json
from datetime import UTC, datetime

import pytest
from botocore.credentials import Credentials

from mlops_cli import api_client
from mlops_cli.api_client import ApiClient, api_region, path, put_file, refusal
from mlops_cli.errors import CliError
from mlops_local import api_auth
from mlops_local.api_auth import Signed, authenticate

KEY = Credentials("AKIAEXAMPLE000000001", "secret-of-the-example")


@pytest.fixture
def sent(monkeypatch):
    """Requests the client would send, answered with an empty JSON object."""
    requests = []

    def fake_send(request, url, who="the API"):
        requests.append(request)
        return b"{}"

    monkeypatch.setattr(api_client, "_send", fake_send)
    return requests


def test_requests_carry_a_sigv4_signature_the_local_api_accepts(sent, monkeypatch):
    # Given a client for the local API, When it posts a body
    client = ApiClient("http://127.0.0.1:9999/v1/", KEY, "us-east-1")
    client.call("POST", f"models/{path('churn')}/rollback", {"comment": "bad canary"})
    (request,) = sent
    # Then the request names the key and service in its signature, and the local check accepts it
    assert f"Credential={KEY.access_key}/" in request.headers["Authorization"]
    assert "/us-east-1/execute-api/aws4_request" in request.headers["Authorization"]
    monkeypatch.setattr(api_auth, "_key", lambda key, token: (KEY.secret_key, None, "arn:aws:iam::1:user/a"))
    incoming = Signed("POST", request.full_url, dict(request.header_items()), request.data)
    assert authenticate(incoming, datetime.now(UTC)).arn == "arn:aws:iam::1:user/a"
    assert json.loads(request.data) == {"comment": "bad canary"}


def test_an_empty_decision_still_sends_an_empty_json_object(sent):
    # API Gateway checks every body against the operation's model: {} rather than nothing
    ApiClient("http://127.0.0.1:9999/v1", KEY, "us-east-1").call("POST", "models/m/versions/1/approve", {})
    assert sent[0].data == b"{}"


def test_pre_signed_uploads_stream_the_file(sent, tmp_path):
    artifact = tmp_path / "model.tar.gz"
    artifact.write_bytes(b"x" * 4096)
    grant = {"url": "http://127.0.0.1:1/b/k?X-Amz-Signature=s", "headers": {"Content-Length": "4096"}}
    put_file({**grant, "bucket": "b", "key": "k"}, artifact)
    assert isinstance(sent[0].data, io.BufferedReader)  # a file object, read in blocks as it is sent


def test_an_api_refusal_names_the_problem_and_every_field():
    body = {
        "error": "invalid_request",
        "message": "the body is not a valid UploadRequest",
        "problems": [{"path": "version", "found": "(missing)", "allowed": "a version label", "code": "x"}],
    }
    error = refusal(400, json.dumps(body).encode(), "http://api/v1/uploads")
    assert error.message.splitlines() == [
        "the API refused the request (400 invalid_request): the body is not a valid UploadRequest",
        "  - version: found (missing); allowed: a version label",
    ]


def test_api_gateway_refusals_and_odd_answers_are_named_too():
    gateway = refusal(403, b'{"message": "Missing Authentication Token"}', "http://api/v1/x")
    assert gateway.message == "the API refused the request (403 refused): Missing Authentication Token"
    odd = refusal(502, b"<html>Bad Gateway</html>", "http://api/v1/x")
    assert odd.message == "the API answered 502 for http://api/v1/x: <html>Bad Gateway</html>"


def test_an_unreachable_api_is_named_by_its_url(closed_port_url):
    client = ApiClient(f"{closed_port_url}/v1/", KEY, "us-east-1")
    with pytest.raises(CliError, match=f"cannot reach the API at {closed_port_url}/v1/models/m"):
        client.call("GET", "models/m")


def test_only_http_urls_are_opened():
    with pytest.raises(CliError, match="not an http"):
        ApiClient("file:///etc/", KEY, "us-east-1").call("GET", "passwd")


@pytest.mark.parametrize(
    ("url", "region"),
    [
        ("https://abc123.execute-api.eu-west-1.amazonaws.com/v1/", "eu-west-1"),
        ("http://127.0.0.1:8080/v1/", "us-east-1"),
    ],
)
def test_the_signing_region_comes_from_the_api_host(url, region):
    assert api_region(url, "us-east-1") == region
