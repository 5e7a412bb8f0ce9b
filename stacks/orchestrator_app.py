"""The orchestrator's CDK app: every stack of a deployment config, gated by the compliance packs.

`app.py` (the CDK entry point), local mode and the tests all build the app through this module.
"""

import json
from pathlib import Path
from typing import Any

from aws_cdk import App, Environment, Stack, Tags
from aws_cdk import aws_s3 as s3

from mlops_config import OrchestratorConfig
from mlops_config.targets import (
    DeploymentTarget,
    identity_stack_name,
    pipeline_role_name,
    region_stack_name,
    remote_regions,
    remote_targets,
    target_stack_name,
    tooling_stack_name,
)
from mlops_constructs.stage_host import StageHost
from stacks.blueprints import synthesize_blueprints
from stacks.compliance import attach_compliance_packs
from stacks.pipeline_identity_stack import PipelineIdentityStack
from stacks.pipeline_region_stack import PipelineRegionStack
from stacks.stage_target_stack import StageTargetStack, ToolingLinks
from stacks.tooling_stack import ToolingStack

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = REPO_ROOT / "config" / "default.toml"
BLUEPRINTS_FOLDER = "blueprints"


def feature_flags() -> dict[str, Any]:
    """The feature flags of cdk.json, which every app of this project (and the tests) must use."""
    context: dict[str, Any] = json.loads((REPO_ROOT / "cdk.json").read_text())["context"]
    return context


def build_app(app: App, config: OrchestratorConfig) -> App:
    """Add every stack of the orchestrator to `app` and gate synthesis on the compliance packs.

    Single account: one tooling stack. With stages elsewhere: the pipelines' identity stack, a target
    stack per stage account and region, and the tooling stack, deployed in that order.
    """
    blueprints = synthesize_blueprints(config, Path(app.outdir) / BLUEPRINTS_FOLDER, feature_flags())
    env = Environment(account=config.environment.account, region=config.environment.region)
    tooling = ToolingStack(app, tooling_stack_name(config), config=config, env=env)
    targets = remote_targets(config)
    remote = _multi_account(app, config, targets, tooling) if targets else {}
    tooling.add_deployment(
        config=config,
        blueprints=blueprints,
        remote=remote,
        pipeline_role_name=pipeline_role_name(config) if targets else None,
        artifact_stores=_region_stacks(app, config, remote, tooling),
    )
    for key, value in config.tags.items():
        Tags.of(app).add(key, value)
    attach_compliance_packs(app, config.compliance_packs)
    return app


def _multi_account(
    app: App, config: OrchestratorConfig, targets: tuple[DeploymentTarget, ...], tooling: ToolingStack
) -> dict[str, StageHost]:
    """The pipelines' identity stack and the stage target stacks; the tooling stack deploys after them."""
    identity = PipelineIdentityStack(
        app,
        identity_stack_name(config),
        role_name=pipeline_role_name(config),
        termination_protection=config.termination_protection,
        env=Environment(account=config.environment.account, region=config.environment.region),
    )
    links = ToolingLinks(
        account=str(config.environment.account),
        region=str(config.environment.region),
        pipeline_role=identity.pipeline_role,
        event_bus=tooling.event_bus,
    )
    tooling.add_stack_dependency(identity)
    return _target_stacks(app, config, targets, links, identity, tooling)


def _target_stacks(
    app: App,
    config: OrchestratorConfig,
    targets: tuple[DeploymentTarget, ...],
    links: ToolingLinks,
    identity: PipelineIdentityStack,
    tooling: ToolingStack,
) -> dict[str, StageHost]:
    """One target stack per stage account and region; each stage's host, by stage name."""
    hosts: dict[str, StageHost] = {}
    for target in targets:
        account, region = target.placement.account, target.placement.region
        stack = StageTargetStack(
            app,
            target_stack_name(config, target.placement),
            config=config,
            stages=target.stages,
            tooling=links,
            env=Environment(account=account, region=region),
        )
        stack.add_stack_dependency(identity)
        tooling.add_stack_dependency(stack)  # its bucket, key and bus policies name the stage's roles
        hosts |= {stage.name: stack.host(stage) for stage in target.stages}
    return hosts


def _region_stacks(
    app: App, config: OrchestratorConfig, hosts: dict[str, StageHost], tooling: ToolingStack
) -> dict[str, s3.IBucket]:
    """The tooling account's stack in each other stage region: the pipelines' artifact store there. It
    names the stage roles of its region (so deploys after their target stacks) and the tooling pipelines
    use it (so the tooling stack deploys after it)."""
    stores: dict[str, s3.IBucket] = {}
    for region in remote_regions(config):
        stack = PipelineRegionStack(
            app,
            region_stack_name(config, region),
            config=config,
            env=Environment(account=config.environment.account, region=region),
        )
        here = [host for host in hosts.values() if host.region == region]
        stack.open_to(here)
        for host in here:
            stack.add_stack_dependency(Stack.of(host.roles))
        tooling.add_stack_dependency(stack)
        stores[region] = stack.store.for_pipelines()
    return stores
