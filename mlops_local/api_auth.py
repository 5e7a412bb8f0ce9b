"""IAM authorization of the local API, as API Gateway does it: a SigV4 signature by a key AWS knows.

The signing access key is looked up in the local AWS (moto's IAM users' access keys and STS's assumed-role
credentials, in this process); its secret re-computes the signature with botocore, and the identity
that owns the key is the caller (`requestContext.identity.userArn`). Keys moto does not know are refused.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from mlops_local.moto_server import ACCOUNT, REGION

SERVICE = "execute-api"
_ALGORITHM = "AWS4-HMAC-SHA256"
_TIMESTAMP = "%Y%m%dT%H%M%SZ"
MAX_SKEW = timedelta(minutes=5)  # API Gateway refuses signatures older (or newer) than this
MISSING = "Missing Authentication Token"
UNKNOWN_KEY = "The security token included in the request is invalid."
MISMATCH = "The request signature we calculated does not match the signature you provided."


class UnauthorizedError(Exception):
    """A request API Gateway would refuse with 403 before the function sees it."""


@dataclass(frozen=True)
class Caller:
    """Who signed: the access key and the IAM identity that owns it."""

    access_key: str
    arn: str


@dataclass(frozen=True)
class Signed:
    """One incoming request, as received: what the signature covers."""

    method: str
    url: str  # http://host:port/path?query
    headers: Mapping[str, str]
    body: bytes


def _fields(authorization: str) -> dict[str, str]:
    """Credential, SignedHeaders and Signature of an `AWS4-HMAC-SHA256 ...` header."""
    algorithm, _, rest = authorization.partition(" ")
    if algorithm != _ALGORITHM:
        raise UnauthorizedError(f"{MISSING}: sign the request with SigV4 ({_ALGORITHM})")
    pairs = (part.strip().partition("=") for part in rest.split(","))
    found = {name: value for name, _, value in pairs}
    if not {"Credential", "SignedHeaders", "Signature"} <= found.keys():
        lacks = "the Authorization header lacks Credential, SignedHeaders or Signature"
        raise UnauthorizedError(f"{MISSING}: {lacks}")
    return found


def _header(headers: Mapping[str, str], name: str) -> str | None:
    lowered = {key.lower(): value for key, value in headers.items()}
    return lowered.get(name.lower())


def _key(access_key: str, token: str | None) -> tuple[str, str | None, str]:
    """(secret, session token, identity ARN) of a key the local AWS knows."""
    from moto.iam.access_control import CreateAccessKeyFailure, create_access_key

    headers = {"X-Amz-Security-Token": token} if token else {}
    try:
        key = create_access_key(ACCOUNT, "aws", access_key, headers)
    except CreateAccessKeyFailure as error:
        raise UnauthorizedError(
            f"{UNKNOWN_KEY} Local mode knows IAM users' access keys and assumed-role credentials "
            f"created in its AWS, not {access_key}"
        ) from error
    credentials = key.create_credentials()
    return credentials.secret_key, credentials.token, key.arn


def _check_time(stamp: str | None, now: datetime) -> None:
    try:
        signed_at = datetime.strptime(stamp or "", _TIMESTAMP).replace(tzinfo=UTC)
    except ValueError as error:
        raise UnauthorizedError(f"{MISSING}: X-Amz-Date is missing or not {_TIMESTAMP}") from error
    if abs(now - signed_at) > MAX_SKEW:
        raise UnauthorizedError(f"Signature expired: signed at {stamp}, more than 5 minutes from now")


def authenticate(request: Signed, now: datetime) -> Caller:
    """The caller of a correctly signed request; UnauthorizedError (403) names what is wrong otherwise."""
    authorization = _header(request.headers, "Authorization")
    if not authorization:
        raise UnauthorizedError(f"{MISSING}: the API takes only requests signed with AWS credentials (SigV4)")
    fields = _fields(authorization)
    access_key, _, scope = fields["Credential"].partition("/")
    _, region, service, _ = [*scope.split("/"), "", "", ""][:4]
    if (region, service) != (REGION, SERVICE):
        wanted = f"sign for service {SERVICE} in {REGION}, not {service} in {region}"
        raise UnauthorizedError(f"{MISMATCH} ({wanted})")
    stamp = _header(request.headers, "X-Amz-Date")
    _check_time(stamp, now)
    secret, token, arn = _key(access_key, _header(request.headers, "X-Amz-Security-Token"))
    signed_names = fields["SignedHeaders"].split(";")
    headers = {name: value for name in signed_names if (value := _header(request.headers, name)) is not None}
    rebuilt = AWSRequest(method=request.method, url=request.url, headers=headers, data=request.body)
    rebuilt.context["timestamp"] = stamp
    auth = SigV4Auth(Credentials(access_key, secret, token), SERVICE, REGION)
    expected = auth.signature(auth.string_to_sign(rebuilt, auth.canonical_request(rebuilt)), rebuilt)
    if not hmac.compare_digest(expected, fields["Signature"]):
        raise UnauthorizedError(MISMATCH)
    return Caller(access_key, arn)
