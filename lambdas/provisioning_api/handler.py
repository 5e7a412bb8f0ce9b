"""Provisioning API entry point: API Gateway (REST, IAM auth) → one domain function per operation."""

from __future__ import annotations

from datetime import UTC, datetime
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from lambdas.common.function_runtime import FunctionRuntime
from lambdas.provisioning_api.errors import ApiError
from lambdas.provisioning_api.request import ApiRequest, caller, path_parameters, read_body
from mlops_api.models import ErrorBody
from mlops_api.operations import OPERATIONS, Operation

if TYPE_CHECKING:
    from lambdas.provisioning_api.service import Clients
    from lambdas.provisioning_api.settings import Settings

JSON = "application/json"


def _clients(settings: Settings) -> Clients:
    from lambdas.provisioning_api.service import build_clients

    return build_clients(settings)


runtime: FunctionRuntime[Settings, Clients] = FunctionRuntime("provisioning_api", clients=_clients)
app = APIGatewayRestResolver()


def _serve(op: Operation, **path: str) -> Response[str]:
    """Check the request, answer it with the operation's domain function."""
    from lambdas.provisioning_api.service import answer

    event = app.current_event
    who = caller(event.raw_event)
    runtime.logger.append_keys(operation=str(op.operation_id), caller=who)
    request = ApiRequest(
        path_parameters(op, path), read_body(op, event.body, bool(event.is_base64_encoded)), who
    )
    settings, clients = runtime.get()
    result = answer(op, request, clients, settings, datetime.now(UTC))
    runtime.count(f"Api_{op.operation_id}")
    return Response(op.success, JSON, result.model_dump_json())


def _route(op: Operation) -> None:
    """Register the operation at its path (API Gateway's {parameter} is Powertools' <parameter>)."""

    def serve(**path: str) -> Response[str]:
        return _serve(op, **path)

    rule = op.path.replace("{", "<").replace("}", ">")
    app.route(rule, method=str(op.method), operation_id=str(op.operation_id))(serve)


for _op in OPERATIONS:
    _route(_op)


def _error(status: HTTPStatus, body: ErrorBody) -> Response[str]:
    return Response(int(status), JSON, body.model_dump_json())


@app.exception_handler(ApiError)  # type: ignore[untyped-decorator]
def _refused(error: ApiError) -> Response[str]:
    """A refusal the caller can act on."""
    runtime.logger.info("request refused", extra={"status": int(error.status), "error": error.code})
    return _error(error.status, error.body())


@app.exception_handler(Exception)  # type: ignore[untyped-decorator]
def _failed(error: Exception) -> Response[str]:
    """Anything else: logged in full, answered without internal details."""
    runtime.logger.exception("request failed")
    request_id = app.current_event.request_context.request_id
    message = f"the request could not be completed; quote request id {request_id} to the platform team"
    return _error(HTTPStatus.INTERNAL_SERVER_ERROR, ErrorBody(error="internal_error", message=message))


@app.not_found
def _no_operation(_: Exception) -> Response[str]:
    """A path or method the API does not have."""
    event = app.current_event
    message = f"no operation {event.http_method} {event.path}; see docs/openapi.json"
    return _error(HTTPStatus.NOT_FOUND, ErrorBody(error="no_such_operation", message=message))


@runtime.handler
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Resolve the request to its operation."""
    return app.resolve(event, context)
