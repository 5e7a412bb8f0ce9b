"""Finalize function entry point: a CodePipeline invoke action after production → approve, tag, announce."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from lambdas.common.function_runtime import FunctionRuntime

if TYPE_CHECKING:
    from lambdas.finalize_deployment.service import Clients
    from lambdas.finalize_deployment.settings import Settings

runtime: FunctionRuntime[Settings, Clients] = FunctionRuntime("finalize_deployment")


@runtime.handler
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Finalize the deployment and always give the CodePipeline job a result."""
    from lambdas.common.codepipeline_job import run_job
    from lambdas.finalize_deployment.job import parse_job
    from lambdas.finalize_deployment.service import finalize

    return run_job(
        runtime,
        event,
        "finalize",
        lambda settings, clients: finalize(parse_job(event), clients, settings, datetime.now(UTC)),
    )
