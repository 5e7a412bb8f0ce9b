"""Start-deployment function entry point: ModelRegistered → the deployment pipeline of its inference type."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from lambdas.common.function_runtime import FunctionRuntime

if TYPE_CHECKING:
    from lambdas.start_deployment.service import Clients
    from lambdas.start_deployment.settings import Settings


runtime: FunctionRuntime[Settings, Clients] = FunctionRuntime("start_deployment")


@runtime.handler
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Start the pipeline for the registered model; an undeployable detail is reported, not dropped."""
    from lambdas.start_deployment.request import parse_event
    from lambdas.start_deployment.service import start_deployment

    detail = parse_event(event)
    runtime.logger.append_keys(model_package_arn=detail.get("model_package_arn"))
    settings, clients = runtime.get()
    outcome = start_deployment(detail, clients, settings, datetime.now(UTC)).to_dict()
    runtime.record("Deployment", outcome["status"], "registered model handled", outcome)
    return outcome
