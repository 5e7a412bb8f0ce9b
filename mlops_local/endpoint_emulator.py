"""A local SageMaker runtime: `InvokeEndpoint` over HTTP on 127.0.0.1, with data capture to S3.

A boto3 `sagemaker-runtime` client created with `endpoint_url=emulator.url` works unchanged:
`POST /endpoints/<name>/invocations` with Content-Type, Accept and X-Amzn-SageMaker-Inference-Id, and
InvokeEndpointAsync (`.../async-invocations`, see `mlops_local.async_invocations`) for async endpoints.
Binary classifiers answer the positive-class probability, multiclass classifiers one probability per
class, regressors the predicted value (see `mlops_local.model_loader`). Errors have SageMaker's shape:
an unknown endpoint is a ValidationError (HTTP 400), a request the model refuses a ModelError (HTTP 424).
"""

from __future__ import annotations

import dataclasses
import json
import random
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from mlops_contract.serving import ContainerVariable
from mlops_local.data_capture import DEFAULT_VARIANT, CaptureConfig, CaptureWriter, Exchange
from mlops_local.model_loader import LoadedModel, load_artifact
from mlops_local.payloads import PayloadError, parse_rows, render, response_type
from mlops_local.running import Running

MAX_PAYLOAD_BYTES = 6 * 1024 * 1024  # InvokeEndpoint's payload limit
LOCAL_ACCOUNT = "000000000000"
LOG_GROUP_ARN = f"arn:aws:logs:local:{LOCAL_ACCOUNT}:log-group:/aws/sagemaker/Endpoints"
DEFAULT_ACCEPT_VARIABLE = ContainerVariable.SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT.name
_PATH_PREFIX, _PATH_SUFFIX, _ASYNC_SUFFIX = "/endpoints/", "/invocations", "/async-invocations"


@dataclass(frozen=True)
class Response:
    """What the emulated runtime answers: status, headers and body."""

    status: int
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class _Endpoint:
    """One served endpoint: its model, variant name and capture settings."""

    model: LoadedModel
    variant: str
    capture: CaptureConfig | None
    async_output: str | None = None  # S3OutputPath of an asynchronous endpoint
    s3: Any = None  # S3 as the endpoint's account (captures, async answers); None: the emulator's own
    environment: Mapping[str, str] = dataclasses.field(default_factory=dict)  # the model's container's

    def accept(self, requested: str | None) -> str | None:
        """The Accept to answer: the request's, else the container's default (as SageMaker's serving
        containers read SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT when a request names none or */*)."""
        if requested and requested.strip() != "*/*":
            return requested
        return self.environment.get(DEFAULT_ACCEPT_VARIABLE) or requested


def _error(status: int, code: str, document: dict[str, Any]) -> Response:
    """An AWS rest-json error response (botocore reads the code from x-amzn-ErrorType)."""
    headers = {"Content-Type": "application/json", "x-amzn-ErrorType": code}
    return Response(status, headers, json.dumps(document).encode())


def validation_error(message: str) -> Response:
    """SageMaker's ValidationError (HTTP 400)."""
    return _error(400, "ValidationError", {"message": message})


def model_error(endpoint: str, variant: str, status: int, message: str) -> Response:
    """SageMaker's ModelError (HTTP 424) wrapping the container's own status and message."""
    side = "client" if status < 500 else "server"
    return _error(
        424,
        "ModelError",
        {
            "ErrorCode": f"{side.upper()}_ERROR_FROM_MODEL",
            "Message": f'Received {side} error ({status}) from {variant} with message "{message}".',
            "OriginalStatusCode": status,
            "OriginalMessage": message,
            "LogStreamArn": f"{LOG_GROUP_ARN}/{endpoint}",
        },
    )


class EndpointEmulator(Running):
    """Serves models from `model.tar.gz` artifacts as SageMaker endpoints on a free loopback port."""

    def __init__(
        self, s3: Any | None = None, *, flush_every: int = 100, rng: random.Random | None = None
    ) -> None:
        self._endpoints: dict[str, _Endpoint] = {}
        self._s3 = s3
        self._capture = CaptureWriter(s3, flush_every=flush_every, rng=rng) if s3 is not None else None
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def add_endpoint(
        self,
        name: str,
        artifact: Path,
        *,
        variant: str = DEFAULT_VARIANT,
        capture: CaptureConfig | None = None,
        async_output: str | None = None,
        s3: Any = None,
        environment: Mapping[str, str] | None = None,
    ) -> LoadedModel:
        """Load an artifact and serve it as endpoint `name` (replacing a previous model of that name);
        `s3`: the endpoint's account's client, when it is not the emulator's; `environment`: the
        deployed model's container variables."""
        model = load_artifact(artifact)
        self.add_model(name, model, variant=variant, capture=capture, async_output=async_output)
        served = self._endpoints[name]
        self._endpoints[name] = dataclasses.replace(
            served, s3=s3 if s3 is not None else served.s3, environment=dict(environment or {})
        )
        return model

    def container_environment(self, name: str) -> dict[str, str]:
        """The container variables endpoint `name` serves with (KeyError: no such endpoint)."""
        return dict(self._endpoints[name].environment)

    def add_model(
        self,
        name: str,
        model: LoadedModel,
        *,
        variant: str = DEFAULT_VARIANT,
        capture: CaptureConfig | None,
        async_output: str | None = None,
    ) -> None:
        """Serve an already loaded model as endpoint `name` (asynchronous when async_output is set)."""
        if (capture is not None or async_output is not None) and self._s3 is None:
            raise ValueError("data capture and asynchronous endpoints need the emulator to have an S3 client")
        self._endpoints[name] = _Endpoint(model, variant, capture, async_output)

    def remove_endpoint(self, name: str) -> None:
        """Stop serving an endpoint (invocations then fail with ValidationError)."""
        self._endpoints.pop(name, None)

    @property
    def endpoint_names(self) -> list[str]:
        """Names of the endpoints being served."""
        return sorted(self._endpoints)

    def invoke(
        self, name: str, body: bytes, content_type: str | None, accept: str | None, inference_id: str | None
    ) -> Response:
        """Answer one InvokeEndpoint call and capture it; the HTTP handler's only entry point."""
        endpoint = self._endpoints.get(name)
        if endpoint is None:
            return validation_error(f"Endpoint {name} of account {LOCAL_ACCOUNT} not found.")
        if len(body) > MAX_PAYLOAD_BYTES:
            return validation_error(f"Request payload is larger than {MAX_PAYLOAD_BYTES} bytes.")
        accept = endpoint.accept(accept)
        try:
            rows = parse_rows(body, content_type)
            response_type(accept, content_type)  # refuse an unusable Accept before predicting
            predictions = endpoint.model.predict(rows)
            out, out_type = render(predictions, accept, content_type)
        except PayloadError as error:
            return model_error(name, endpoint.variant, error.status, str(error))
        except Exception as error:  # any failure inside the model is the container's 500
            return model_error(name, endpoint.variant, 500, f"{type(error).__name__}: {error}")
        if endpoint.capture is not None and self._capture is not None:
            exchange = Exchange(body, content_type or "", out, out_type, inference_id)
            self._capture.record(name, endpoint.variant, endpoint.capture, exchange, endpoint.s3)
        headers = {"Content-Type": out_type, "x-Amzn-Invoked-Production-Variant": endpoint.variant}
        return Response(200, headers, out)

    def invoke_async(self, name: str, headers: Mapping[str, str]) -> Response:
        """Answer one InvokeEndpointAsync call (headers with lower-cased names)."""
        from mlops_local.async_invocations import invoke_async  # it builds on this module

        endpoint = self._endpoints.get(name)
        if endpoint is None:
            return validation_error(f"Endpoint {name} of account {LOCAL_ACCOUNT} not found.")
        s3 = endpoint.s3 or self._s3
        return invoke_async(self.invoke, s3, name, endpoint.async_output, headers)

    def flush(self) -> list[str]:
        """Write buffered capture records now; return the `s3://` URIs of the files written."""
        return self._capture.flush() if self._capture is not None else []

    @property
    def captured_files(self) -> list[str]:
        """Every capture file written so far."""
        return list(self._capture.written) if self._capture is not None else []

    @property
    def url(self) -> str:
        """Base URL to pass as `endpoint_url` to a boto3 `sagemaker-runtime` client."""
        if self._server is None:
            raise RuntimeError("the emulator is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> EndpointEmulator:
        """Listen on 127.0.0.1 on a free port, serving from a background thread."""
        if self._server is None:
            self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
            self._server.daemon_threads = True
            # A short poll interval makes close() quick (shutdown waits for the next poll).
            self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
            self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving and flush pending capture records."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            if self._thread is not None:
                self._thread.join(timeout=5)
            self._server = self._thread = None
        self.flush()

    def stop(self) -> None:
        """Stop serving (the context manager's exit)."""
        self.close()


def _send(handler: BaseHTTPRequestHandler, response: Response) -> None:
    """Write status, headers and body."""
    handler.send_response(response.status)
    for key, value in {**response.headers, "Content-Length": str(len(response.body))}.items():
        handler.send_header(key, value)
    handler.end_headers()
    handler.wfile.write(response.body)


def _handler_for(emulator: EndpointEmulator) -> type[BaseHTTPRequestHandler]:
    """A request handler class bound to one emulator."""

    class Handler(BaseHTTPRequestHandler):
        """Routes `POST /endpoints/<name>/invocations` and `.../async-invocations` to the emulator."""

        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            """Answer an invocation, or SageMaker's unknown-operation error for any other path."""
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            path = self.path.split("?", 1)[0]
            if path.startswith(_PATH_PREFIX) and path.endswith(_ASYNC_SUFFIX):
                self._async(unquote(path[len(_PATH_PREFIX) : -len(_ASYNC_SUFFIX)]))
                return
            if not (path.startswith(_PATH_PREFIX) and path.endswith(_PATH_SUFFIX)):
                _send(self, _error(404, "UnknownOperationException", {"message": f"no route {path}"}))
                return
            name = unquote(path[len(_PATH_PREFIX) : -len(_PATH_SUFFIX)])
            headers = self.headers
            inference_id = headers.get("X-Amzn-SageMaker-Inference-Id")
            content_type, accept = headers.get("Content-Type"), headers.get("Accept")
            _send(self, emulator.invoke(name, body, content_type, accept, inference_id))

        def _async(self, name: str) -> None:
            """Queue an InvokeEndpointAsync call of endpoint `name`."""
            _send(self, emulator.invoke_async(name, {key.lower(): v for key, v in self.headers.items()}))

        def log_message(self, format: str, *args: Any) -> None:
            """Stay quiet: the demo prints its own progress."""

    return Handler
