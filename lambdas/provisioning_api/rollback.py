"""POST /models/{name}/rollback: run the pipeline again with the previous approved version's values."""

from __future__ import annotations

import hashlib
from typing import Any

from lambdas.common.pipeline_executions import execution_variables, model_executions
from lambdas.common.pipeline_variables import as_pipeline_variables
from lambdas.common.registry_status import registry_versions
from lambdas.provisioning_api.errors import conflict, not_found
from lambdas.provisioning_api.settings import Settings
from mlops_api.models import RollbackResult

APPROVED = "Approved"  # finalize approves a package once it runs in production


def roll_back(model: str, clients: Any, settings: Settings) -> RollbackResult:
    """Start the pipeline with the values the previous approved version was deployed with (same token for
    the same pair of versions, so a repeated request starts nothing new)."""
    versions = registry_versions(clients.sagemaker, model, None)
    if versions is None:
        raise not_found(f"no model named {model!r} is registered")
    approved = [v for v in versions if v["approval"] == APPROVED]  # newest first
    if len(approved) < 2:
        raise conflict(f"{model} has no earlier approved version to roll back to")
    current, previous = approved[0], approved[1]
    pipeline, variables = _deployed_with(clients.codepipeline, model, previous["version"], settings)
    token = "mlops-rollback-" + hashlib.sha256(f"{current['arn']}>{previous['arn']}".encode()).hexdigest()
    started = clients.codepipeline.start_pipeline_execution(
        name=pipeline, variables=as_pipeline_variables(variables), clientRequestToken=token
    )
    return RollbackResult(
        model_name=model,
        from_version=current["version"],
        to_version=previous["version"],
        pipeline=pipeline,
        execution_id=started["pipelineExecutionId"],
    )


def _deployed_with(
    codepipeline: Any, model: str, version: str, settings: Settings
) -> tuple[str, dict[str, str]]:
    """The pipeline and variables of the version's latest succeeded execution; 409 when none is on record."""
    for pipeline in dict.fromkeys(settings.pipeline_names.values()):
        for execution in model_executions(codepipeline, pipeline, model, version):
            if execution["status"] == "Succeeded":
                return pipeline, execution_variables(codepipeline, pipeline, execution["execution_id"])
    raise conflict(
        f"no succeeded deployment of {model} version {version} is in the pipelines' recent history, "
        "so its deployed values are unknown; push it again as a new version"
    )
