"""Package-adoption entry point: one SageMaker model package state change per invocation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lambdas.common.function_runtime import FunctionRuntime

if TYPE_CHECKING:
    from lambdas.package_adoption.service import Clients
    from lambdas.package_adoption.settings import Settings

runtime: FunctionRuntime[Settings, Clients] = FunctionRuntime("package_adoption")


@runtime.handler
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, str]:
    """Adopt the package the event names; errors other than a refused package raise to be retried."""
    from lambdas.package_adoption.service import adopt

    settings, clients = runtime.get()
    detail = event.get("detail") if isinstance(event, dict) else None
    result = adopt(clients, settings, detail if isinstance(detail, dict) else {})
    runtime.logger.info("package event handled", extra={"outcome": result.outcome, "arn": result.package_arn})
    runtime.count(f"Package_{result.outcome}")
    return {"outcome": str(result.outcome), "packageArn": result.package_arn, "reason": result.reason}
