"""Where each stage deploys, and which stages share an account and region (one target stack each).

Stages that name no account or region deploy where the tooling stack does. Several stages may share an
account and region: they share one target stack there, each with its own roles, so every IAM principal
is created once and policies that name stage roles never repeat one.
"""

from dataclasses import dataclass

from mlops_config.model import OrchestratorConfig, Stage


@dataclass(frozen=True)
class Placement:
    """An account and region; None where the config leaves it to the deploying credentials."""

    account: str | None
    region: str | None

    def label(self) -> str:
        """How messages and stack names show the placement ("tooling environment" when unset)."""
        return f"{self.account or 'tooling account'}/{self.region or 'tooling region'}"


@dataclass(frozen=True)
class DeploymentTarget:
    """One account and region that receives a target stack, and the stages deployed there."""

    placement: Placement
    stages: tuple[Stage, ...]
    is_tooling: bool  # the tooling account and region itself: no separate target stack is needed


def tooling_placement(config: OrchestratorConfig) -> Placement:
    """Where the tooling stack is deployed."""
    return Placement(config.environment.account, config.environment.region)


def stage_placement(config: OrchestratorConfig, stage: Stage) -> Placement:
    """Where a stage deploys: its own account and region, each defaulting to the tooling one."""
    home = tooling_placement(config)
    return Placement(stage.account or home.account, stage.region or home.region)


def deployment_targets(config: OrchestratorConfig) -> tuple[DeploymentTarget, ...]:
    """The stages grouped by placement, in the order their first stage appears in the config."""
    groups: dict[Placement, list[Stage]] = {}
    for stage in config.stages:
        groups.setdefault(stage_placement(config, stage), []).append(stage)
    home = tooling_placement(config)
    return tuple(
        DeploymentTarget(placement, tuple(stages), placement == home) for placement, stages in groups.items()
    )


def stage_accounts(config: OrchestratorConfig) -> tuple[str, ...]:
    """Every account other than the tooling account that a stage deploys into, once each."""
    home = tooling_placement(config).account
    accounts = (stage_placement(config, stage).account for stage in config.stages)
    return tuple(dict.fromkeys(a for a in accounts if a is not None and a != home))


def pipeline_role_name(config: OrchestratorConfig) -> str:
    """The deployment pipelines' service role in a multi-account deployment: named, because the stage
    accounts trust it and the tooling stack and `mlops preflight` find it by name."""
    return f"{config.project_name}-deployment-pipelines"


def local_stages(config: OrchestratorConfig) -> tuple[Stage, ...]:
    """The stages deployed in the tooling account and region itself (every stage, in a single account)."""
    home = tooling_placement(config)
    return tuple(stage for stage in config.stages if stage_placement(config, stage) == home)


def remote_targets(config: OrchestratorConfig) -> tuple[DeploymentTarget, ...]:
    """The placements other than the tooling one: each gets a stage target stack."""
    return tuple(target for target in deployment_targets(config) if not target.is_tooling)


def remote_regions(config: OrchestratorConfig) -> tuple[str, ...]:
    """The stage regions other than the tooling region, once each: the pipelines need an artifact store
    in each (one per region, whichever accounts its stages are in)."""
    home = tooling_placement(config).region
    regions = (target.placement.region for target in remote_targets(config))
    return tuple(sorted({region for region in regions if region is not None and region != home}))


# Names the stacks and `mlops preflight` share: stack names and the outputs preflight reads.
VERSION_OUTPUT = "OrchestratorVersion"
FORWARDING_ROLE_OUTPUT = "ForwardingRoleArn"
COPY_ROLE_OUTPUT = "ArtifactCopyRoleArn"  # target stacks in a region other than the tooling region


def tooling_stack_name(config: OrchestratorConfig) -> str:
    """The tooling stack."""
    return f"{config.project_name}-Tooling"


def identity_stack_name(config: OrchestratorConfig) -> str:
    """The deployment pipelines' identity stack (multi-account deployments only)."""
    return f"{config.project_name}-PipelineIdentity"


def target_stack_name(config: OrchestratorConfig, placement: Placement) -> str:
    """The stage target stack of one account and region."""
    return f"{config.project_name}-Stage-{placement.account}-{placement.region}"


def region_stack_name(config: OrchestratorConfig, region: str) -> str:
    """The tooling account's stack in another stage region (the pipelines' artifact store there)."""
    return f"{config.project_name}-PipelineArtifacts-{region}"


def stage_output(stage: str, what: str) -> str:
    """A target stack's output about one stage, e.g. ("staging", "DeployRoleArn")."""
    return f"{stage.capitalize()}{what}"
