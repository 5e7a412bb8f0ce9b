"""Resolve-package entry point: a CodePipeline invoke action before each stage's deploy action."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lambdas.common.function_runtime import FunctionRuntime

if TYPE_CHECKING:
    from lambdas.resolve_package.service import Clients
    from lambdas.resolve_package.settings import Settings

runtime: FunctionRuntime[Settings, Clients] = FunctionRuntime("resolve_package")


@runtime.handler
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Resolve the execution's model package and always give the CodePipeline job a result."""
    from lambdas.common.codepipeline_job import run_job
    from lambdas.resolve_package.job import parse_job
    from lambdas.resolve_package.service import resolve

    return run_job(
        runtime, event, "resolve", lambda settings, clients: resolve(parse_job(event), clients, settings)
    )
