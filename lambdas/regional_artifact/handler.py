"""Regional-artifact entry point: a CodePipeline invoke action between a remote-region stage's Resolve and
Deploy actions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lambdas.common.function_runtime import FunctionRuntime

if TYPE_CHECKING:
    from lambdas.regional_artifact.service import Clients
    from lambdas.regional_artifact.settings import Settings


def build_clients(settings: Settings) -> Clients:
    """S3 clients of the tooling region and of this one; CodePipeline of this one (the action's region)."""
    import boto3

    from lambdas.common.function_runtime import boto3_clients
    from lambdas.regional_artifact.service import Clients

    return boto3_clients(
        Clients, source_s3=boto3.client("s3", region_name=settings.source_region), s3=boto3.client("s3")
    )


runtime: FunctionRuntime[Settings, Clients] = FunctionRuntime("regional_artifact", clients=build_clients)


@runtime.handler
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Copy (once) and verify the stage's artifact in this region; always give the job a result."""
    from lambdas.common.codepipeline_job import run_job
    from lambdas.regional_artifact.job import parse_job
    from lambdas.regional_artifact.service import copy_to_region

    return run_job(
        runtime,
        event,
        "regional copy",
        lambda settings, clients: copy_to_region(parse_job(event), clients, settings),
    )
