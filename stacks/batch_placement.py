"""Where production's batch transform workflow is built: beside production's data, in whichever account.

Production in the tooling account and region: the tooling stack holds the workflow, its batch role reads and
writes the data-capture bucket there. Production in another account (same region): production's target
stack holds them, so batch data never leaves production's account, and the tooling stack only lets its
roles in (RemoteBatchAccess). Production in another region: no workflow, because SageMaker loads a model
only from its own region and batch runs have no pipeline to copy the sealed artifact there.
"""

from typing import TYPE_CHECKING

from aws_cdk import Stack
from aws_cdk import aws_lambda as lambda_

from mlops_config import OrchestratorConfig, Stage
from mlops_constructs.batch_role import BatchRole
from mlops_constructs.batch_transform_workflow import BatchTransformWorkflow
from mlops_constructs.orchestrator_core import OrchestratorCore
from mlops_constructs.remote_batch import RemoteBatchAccess
from mlops_constructs.stage_host import StageHost
from stacks.stage_target_stack import StageTargetStack

if TYPE_CHECKING:
    from stacks.tooling_stack import ToolingStack


def production_batch(
    tooling: "ToolingStack",
    core: OrchestratorCore,
    config: OrchestratorConfig,
    host: StageHost | None,
    package_check: lambda_.IFunction,
) -> BatchTransformWorkflow | None:
    """Production's batch workflow (None when production is in another region than the tooling)."""
    production = next(stage for stage in config.stages if stage.production)
    if host is None:
        return _in_tooling(tooling, core, config, production, package_check)
    if host.region != tooling.region:
        return None
    target = Stack.of(host.roles)
    assert isinstance(target, StageTargetStack)
    workflow = target.add_batch(
        production, package_check=package_check, image_accounts=tooling.image_accounts
    )
    RemoteBatchAccess(
        tooling,
        "RemoteBatch",
        core=core,
        workflow=workflow,
        batch_role=target.batch_role,
        package_check=package_check,
        repository=tooling.image_builder.repository if tooling.image_builder else None,
        account=host.account,
    )
    return workflow


def _in_tooling(
    tooling: "ToolingStack",
    core: OrchestratorCore,
    config: OrchestratorConfig,
    production: Stage,
    package_check: lambda_.IFunction,
) -> BatchTransformWorkflow:
    """Production in the tooling account: data in the data-capture bucket, outcomes on the topic."""
    registry = core.registry
    role = BatchRole(
        tooling,
        "BatchRole",
        stage=production.name,
        data_bucket=registry.data_capture_bucket,
        encryption_key=registry.encryption_key,
        registry=registry.registry_reads,
        image_accounts=config.registry.image_accounts,
    ).role
    if tooling.image_builder:
        tooling.image_builder.repository.grant_pull(role)
    return BatchTransformWorkflow(
        tooling,
        "BatchTransform",
        notification_topic=registry.notifications,
        encryption_key=registry.encryption_key,
        data_bucket=registry.data_capture_bucket,
        batch_role=role,
        package_check=package_check,
    )
