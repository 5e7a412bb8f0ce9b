"""Drift check entry point: one endpoint's EventBridge Scheduler input -> drift report and alarms."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from lambdas.common.function_runtime import FunctionRuntime

if TYPE_CHECKING:
    from lambdas.drift_check.service import Clients
    from lambdas.drift_check.settings import Settings


runtime: FunctionRuntime[Settings, Clients] = FunctionRuntime("drift_check")


@runtime.handler
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Validate the schedule input, run one check, record the outcome."""
    from lambdas.drift_check.request import parse_request
    from lambdas.drift_check.service import run_drift_check
    from mlops_drift.file_read import Deadline

    deadline = Deadline.for_lambda(context.get_remaining_time_in_millis())
    request = parse_request(event)
    runtime.logger.append_keys(endpoint=request.endpoint_name, variant=request.variant_name)
    settings, clients = runtime.get()
    outcome = run_drift_check(request, clients, settings, datetime.now(UTC), deadline)
    runtime.logger.info("drift check finished", extra=outcome.to_dict())
    runtime.count(f"DriftCheck_{outcome.status}")
    return outcome.to_dict()
