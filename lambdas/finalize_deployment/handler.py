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
    from lambdas.common.codepipeline_job import answer_job, job_id_of
    from lambdas.finalize_deployment.job import parse_job
    from lambdas.finalize_deployment.service import finalize

    job_id = job_id_of(event)  # not a CodePipeline job: there is nobody to report to, so raise
    runtime.logger.append_keys(job_id=job_id)
    settings, clients = runtime.get()
    verdict = answer_job(
        clients.codepipeline,
        job_id,
        lambda: finalize(parse_job(event), clients, settings, datetime.now(UTC)),
        runtime.logger,
        "finalize",
    )
    runtime.logger.info("finalize reported", extra={"passed": verdict.passed, "verdict": verdict.message})
    runtime.count("DeploymentFinalized" if verdict.passed else "FinalizeFailed")
    return {"passed": verdict.passed, "message": verdict.message}
