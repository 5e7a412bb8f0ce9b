"""Calls to the provisioning API: SigV4-signed with the session's credentials, refusals as CliErrors."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote, urlsplit

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from mlops_cli.errors import CliError

SERVICE = "execute-api"
TIMEOUT_SECONDS = 60
# https://<api-id>.execute-api.<region>.amazonaws.com/<stage>/ names the region to sign for.
_API_HOST = re.compile(r"\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$")


def api_region(url: str, fallback: str) -> str:
    """The region an API URL is in (its host on AWS), else the session's (local mode, custom domains)."""
    found = _API_HOST.search(urlsplit(url).hostname or "")
    return found.group(1) if found else fallback


def path(*segments: str) -> str:
    """A relative API path with each segment URL-encoded (model names and versions are user input)."""
    return "/".join(quote(segment, safe="") for segment in segments)


def refusal(status: int, raw: bytes, url: str, who: str = "the API") -> CliError:
    """A CliError naming the problem from an API refusal: the API's own message and field problems, or
    API Gateway's (unsigned, unknown key, throttled)."""
    try:
        body = json.loads(raw)
    except ValueError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("message"), str):
        text = raw.decode("utf-8", "replace").strip()[:200] or "no details"
        return CliError(f"{who} answered {status} for {url}: {text}")
    lines = [f"{who} refused the request ({status} {body.get('error', 'refused')}): {body['message']}"]
    for problem in body.get("problems") or []:
        where, found, allowed = problem.get("path"), problem.get("found"), problem.get("allowed")
        lines.append(f"  - {where}: found {found}; allowed: {allowed}")
    return CliError("\n".join(lines))


@dataclass(frozen=True)
class ApiClient:
    """The API at `base_url` (ending in its stage, e.g. .../v1/), called as the holder of `credentials`."""

    base_url: str
    credentials: Credentials
    region: str

    def call(self, method: str, relative: str, payload: Any = None) -> Any:
        """The JSON answer of one operation; a refusal or network failure is a CliError naming it."""
        url = _http_url(self.base_url.rstrip("/") + "/" + relative.lstrip("/"))
        body = payload if isinstance(payload, bytes) else b""
        if payload is not None and not isinstance(payload, bytes):
            body = json.dumps(payload).encode()
        signed = AWSRequest(method=method, url=url, data=body, headers={"Content-Type": "application/json"})
        SigV4Auth(self.credentials.get_frozen_credentials(), SERVICE, self.region).add_auth(signed)
        return json.loads(_send(_request(url, body or None, method, dict(signed.headers)), url) or b"null")


def _http_url(url: str) -> str:
    """The URL, when it is http(s): never file: or the other schemes urllib would open."""
    if urlsplit(url).scheme not in {"http", "https"}:
        raise CliError(f"not an http(s) URL: {url}")
    return url


def _request(url: str, data: Any, method: str, headers: dict[str, str]) -> urllib.request.Request:
    """A request to an http(s) URL only."""
    return urllib.request.Request(_http_url(url), data=data, method=method, headers=headers)  # noqa: S310 (checked)


def _send(request: urllib.request.Request, url: str, who: str = "the API") -> bytes:
    """The body of a successful answer; CliError for refusals and unreachable URLs."""
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (_request)
            return bytes(response.read())
    except urllib.error.HTTPError as error:
        raise refusal(error.code, error.read(), url, who) from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise CliError(f"cannot reach {who} at {url}: {reason}") from error


def put_file(grant: dict[str, Any], source: Path | bytes) -> None:
    """PUT a file (streamed from disk, never read whole) or bytes to a pre-signed URL with its headers."""
    url, headers = str(grant["url"]), dict(grant["headers"])
    target = f"s3://{grant.get('bucket')}/{grant.get('key')}"
    if isinstance(source, bytes):
        _send(_request(url, source, "PUT", headers), target, "S3")
        return
    with source.open("rb") as handle:
        stream: BinaryIO = handle  # http.client sends a file object in blocks, with our Content-Length
        _send(_request(url, stream, "PUT", headers), target, "S3")
