"""Training-run entry point: one step of a training pipeline's state machine per invocation."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from lambdas.common.function_runtime import FunctionRuntime

if TYPE_CHECKING:
    from lambdas.training_run.service import Clients
    from lambdas.training_run.settings import Settings

runtime: FunctionRuntime[Settings, Clients] = FunctionRuntime("training_run")


@runtime.handler
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Run the requested step; a TrainingRunError fails the state's task with its message."""
    from lambdas.training_run.service import run_step

    settings, clients = runtime.get()
    action = event.get("action") if isinstance(event, dict) else None
    runtime.logger.append_keys(action=action)
    result = run_step(event, clients, settings, datetime.now(UTC))
    runtime.logger.info(
        "training step finished", extra={"action": action, "decision": result.get("decision")}
    )
    runtime.count(f"TrainingStep_{action}")
    return result
