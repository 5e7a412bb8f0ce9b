"""Deployment-events entry point: failed executions and endpoint rollbacks → events and notifications."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from lambdas.common.function_runtime import FunctionRuntime

if TYPE_CHECKING:
    from lambdas.deployment_events.service import Clients
    from lambdas.deployment_events.settings import Settings


runtime: FunctionRuntime[Settings, Clients] = FunctionRuntime("deployment_events")


@runtime.handler
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Report one deployment event; events that are not about our deployments are ignored."""
    from lambdas.deployment_events.service import handle

    outcome = runtime.answer_event(
        event,
        lambda e, c, s: asdict(handle(e, c, s)),
        metric_prefix="Deployment",
        message="deployment event handled",
    )
    return {"status": outcome["status"]}
