"""The local API's IAM authorization: SigV4 by a key the local AWS issued, refused otherwise (403)."""

import json
from datetime import UTC, datetime, timedelta

import boto3
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from moto import mock_aws

from mlops_local.api_auth import MISMATCH, MISSING, UNKNOWN_KEY, Signed, UnauthorizedError, authenticate

URL = "http://127.0.0.1:8000/v1/models/churn/versions/3/approve"
BODY = json.dumps({"comment": "ok"}).encode()


@pytest.fixture
def alice():
    """An IAM user of the (in-process) local AWS and its access key."""
    with mock_aws():
        iam = boto3.client("iam", region_name="us-east-1")
        iam.create_user(UserName="alice")
        key = iam.create_access_key(UserName="alice")["AccessKey"]
        yield Credentials(key["AccessKeyId"], key["SecretAccessKey"])


def signed(credentials: Credentials, body: bytes = BODY, service: str = "execute-api") -> AWSRequest:
    request = AWSRequest(method="POST", url=URL, data=body, headers={"Content-Type": "application/json"})
    SigV4Auth(credentials, service, "us-east-1").add_auth(request)
    return request


def check(request: AWSRequest, body: bytes | None = None, now: datetime | None = None):
    incoming = Signed("POST", URL, dict(request.headers), BODY if body is None else body)
    return authenticate(incoming, now or datetime.now(UTC))


def test_the_caller_is_the_identity_that_owns_the_signing_key(alice):
    caller = check(signed(alice))
    assert caller.arn == "arn:aws:iam::123456789012:user/alice"
    assert caller.access_key == alice.access_key


def test_an_assumed_role_session_is_named_by_its_role_and_session(alice):
    iam = boto3.client("iam", region_name="us-east-1")
    anyone = {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
    trust = {"Version": "2012-10-17", "Statement": [anyone]}
    arn = iam.create_role(RoleName="Approver", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    issued = boto3.client("sts", region_name="us-east-1").assume_role(RoleArn=arn, RoleSessionName="bob")
    keys = issued["Credentials"]
    session = Credentials(keys["AccessKeyId"], keys["SecretAccessKey"], keys["SessionToken"])
    assert check(signed(session)).arn == "arn:aws:sts::123456789012:assumed-role/Approver/bob"


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        (lambda r, c: AWSRequest(method="POST", url=URL, data=BODY), MISSING),
        (lambda r, c: signed(Credentials(c.access_key, "not-the-secret")), MISMATCH),
        (lambda r, c: signed(Credentials("AKIAUNKNOWN000000000", "x")), UNKNOWN_KEY),
        (lambda r, c: signed(c, service="s3"), "sign for service execute-api in us-east-1, not s3"),
    ],
    ids=["unsigned", "wrong-secret", "unknown-key", "other-service"],
)
def test_requests_api_gateway_would_refuse_are_refused(alice, tamper, expected):
    with pytest.raises(UnauthorizedError, match=expected.replace(".", r"\.")):
        check(tamper(None, alice))


def test_a_body_changed_after_signing_is_refused(alice):
    with pytest.raises(UnauthorizedError, match="does not match"):
        check(signed(alice), body=json.dumps({"comment": "changed"}).encode())


def test_a_signature_older_than_five_minutes_is_refused(alice):
    with pytest.raises(UnauthorizedError, match="Signature expired"):
        check(signed(alice), now=datetime.now(UTC) + timedelta(minutes=6))
