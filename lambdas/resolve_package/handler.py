"""Resolve-package entry point: a CodePipeline invoke action before each stage's deploy action, and the
batch workflow's check of the package an execution names."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lambdas.common.function_runtime import FunctionRuntime

if TYPE_CHECKING:
    from lambdas.resolve_package.service import Clients
    from lambdas.resolve_package.settings import Settings

runtime: FunctionRuntime[Settings, Clients] = FunctionRuntime("resolve_package")


@runtime.handler
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Resolve the execution's model package and always give the CodePipeline job a result; or, called by
    the batch workflow with {"modelPackageArn"}, answer with the registered image and artifact or raise."""
    from lambdas.common.codepipeline_job import run_job
    from lambdas.resolve_package.job import parse_job
    from lambdas.resolve_package.service import resolve

    if "CodePipeline.job" not in event:
        from lambdas.resolve_package.batch import check_batch_package

        settings, clients = runtime.get()
        return check_batch_package(event, clients, settings)
    return run_job(
        runtime, event, "resolve", lambda settings, clients: resolve(parse_job(event), clients, settings)
    )
