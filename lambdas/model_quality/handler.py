"""Model-quality entry point: one endpoint's EventBridge Scheduler input -> quality report and alarms."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from lambdas.common.function_runtime import FunctionRuntime

if TYPE_CHECKING:
    from lambdas.model_quality.service import Clients
    from lambdas.model_quality.settings import Settings


runtime: FunctionRuntime[Settings, Clients] = FunctionRuntime("model_quality")


@runtime.handler
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Resolve the request (from the model's manifest or given in full), run one check, record the outcome."""
    from lambdas.model_quality.manifest_input import resolve_request
    from lambdas.model_quality.service import run_quality_check
    from mlops_drift.file_read import Deadline

    deadline = Deadline.for_lambda(context.get_remaining_time_in_millis())
    settings, clients = runtime.get()
    runtime.logger.append_keys(endpoint=event.get("endpoint_name") if isinstance(event, dict) else None)
    request = resolve_request(event, clients.s3)
    if request is None:
        outcome: dict[str, Any] = {"status": "not_configured", "matched": 0, "report_key": None}
    else:
        outcome = run_quality_check(request, clients, settings, datetime.now(UTC), deadline)
    runtime.logger.info("model quality check finished", extra=outcome)
    runtime.count(f"QualityCheck_{outcome['status']}")
    return outcome
