"""The provisioning API on 127.0.0.1, served by the real function in-process.

Each request is checked as API Gateway checks it (a resource and method the API has, a SigV4 signature
by a key the local AWS knows: `api_auth`), turned into the proxy event the deployed function receives
(`api_gateway`), and handed to the same handler with the environment the synthesized template gives it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from mlops_local.api_auth import MISSING, Signed, UnauthorizedError, authenticate
from mlops_local.api_gateway import Incoming, match, proxy_event
from mlops_local.moto_server import free_port
from mlops_local.running import Running

Invoke = Callable[[dict[str, Any]], dict[str, Any]]
MAX_BODY_BYTES = 10 * 1024 * 1024  # API Gateway's payload limit


class _RefusedError(Exception):
    """An answer API Gateway gives itself: `{"message": ...}` with an error type header."""

    def __init__(self, status: HTTPStatus, kind: str, message: str) -> None:
        super().__init__(message)
        self.status, self.kind, self.message = status, kind, message


class ApiServer(Running):
    """A threading HTTP server at http://127.0.0.1:<port>/<stage>/ that calls `invoke` per request."""

    def __init__(self, invoke: Invoke, stage: str) -> None:
        self._invoke, self.stage = invoke, stage
        self._server: ThreadingHTTPServer | None = None
        self.url = ""

    def start(self) -> ApiServer:
        """Listen on a free loopback port, serving from a daemon thread."""
        port = free_port()
        handler = type("Handler", (_Handler,), {"api": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        threading.Thread(target=self._server.serve_forever, name="local-api", daemon=True).start()
        self.url = f"http://127.0.0.1:{port}/{self.stage}/"
        return self

    def stop(self) -> None:
        """Stop listening; safe to call twice."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def answer(self, request: Incoming, url: str) -> dict[str, Any]:
        """The function's response to a request, or API Gateway's own refusal."""
        found = match(request.method, request.path)
        if found is None:  # API Gateway answers an unknown resource or method this way, signed or not
            raise _RefusedError(HTTPStatus.FORBIDDEN, "MissingAuthenticationTokenException", MISSING)
        try:
            caller = authenticate(
                Signed(request.method, url, request.headers, request.body), datetime.now(UTC)
            )
        except UnauthorizedError as error:
            raise _RefusedError(HTTPStatus.FORBIDDEN, "IncompleteSignatureException", str(error)) from error
        op, path = found
        return self._invoke(proxy_event(request, op, path, caller, self.stage))


class _Handler(BaseHTTPRequestHandler):
    """One request: read it, let the server answer it, write the answer."""

    api: ApiServer  # set on the subclass each server makes

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: Any) -> None:
        """No access log lines on the console."""

    def _serve(self) -> None:
        try:
            request, url = self._read()
            response = self.api.answer(request, url)
        except _RefusedError as refused:
            body = json.dumps({"message": refused.message}).encode()
            self._write(int(refused.status), {"x-amzn-ErrorType": refused.kind}, body)
            return
        headers = {**(response.get("headers") or {}), "x-amzn-RequestId": "local"}
        self._write(int(response["statusCode"]), headers, str(response.get("body") or "").encode())

    def _read(self) -> tuple[Incoming, str]:
        """The request without its stage prefix, and the URL it was signed for."""
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            too_large = HTTPStatus.REQUEST_ENTITY_TOO_LARGE
            raise _RefusedError(too_large, "RequestTooLarge", "Request Too Long")
        body = self.rfile.read(length) if length else b""
        parts, prefix = urlsplit(self.path), f"/{self.api.stage}"
        if not parts.path.startswith(prefix + "/"):
            raise _RefusedError(HTTPStatus.FORBIDDEN, "MissingAuthenticationTokenException", MISSING)
        path = parts.path.removeprefix(prefix)
        url = f"http://{self.headers.get('Host', '')}{self.path}"
        source = self.client_address[0]
        return Incoming(self.command, path, parts.query, dict(self.headers.items()), body, source), url

    def _write(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
