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
    from lambdas.common.codepipeline_job import answer_job, job_id_of
    from lambdas.resolve_package.job import parse_job
    from lambdas.resolve_package.service import resolve

    job_id = job_id_of(event)  # not a CodePipeline job: there is nobody to report to, so raise
    runtime.logger.append_keys(job_id=job_id)
    settings, clients = runtime.get()
    verdict = answer_job(
        clients.codepipeline,
        job_id,
        lambda: resolve(parse_job(event), clients, settings),
        runtime.logger,
        "resolve",
    )
    runtime.logger.info("resolve reported", extra={"passed": verdict.passed, "verdict": verdict.message})
    runtime.count("PackageResolved" if verdict.passed else "PackageRefused")
    return {"passed": verdict.passed, "message": verdict.message}
