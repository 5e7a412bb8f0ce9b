"""The stage accounts of a multi-account app, locally: each target stack's resources in its own account.

The target stacks are created as `cdk deploy` creates them in a stage account: with the credentials of the
CDK bootstrap deploy role there, which trusts the tooling account (`cdk bootstrap --trust`). Their functions
run as their own execution roles, and their rules live on the stage account's default bus, so what they
forward reaches the tooling bus as the synthesized forwarding rules say.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlops_local.accounts import RoleClients
from mlops_local.assembly import Assembly
from mlops_local.event_router import EventRouter
from mlops_local.handler_runtime import FunctionSpec, functions
from mlops_local.intrinsics import ResourceMap
from mlops_local.moto_server import REGION, LocalAws
from mlops_local.stack_resources import create_resources, outputs

DEPLOYER = "arn:aws:iam::{account}:role/cdk-hnb659fds-deploy-role-{account}-{region}"


@dataclass(frozen=True)
class StageAccount:
    """One target stack in its account: what was created there, its outputs and its functions."""

    stack: str
    clients: RoleClients  # the deployer's: reads and lists in this account
    resources: ResourceMap
    outputs: dict[str, str]
    functions: dict[str, FunctionSpec]

    @property
    def account(self) -> str:
        """The stage account."""
        return self.clients.account


def check_regions(assembly: Assembly) -> None:
    """Refuse an app with a stack outside local mode's one region: moto would put it in the wrong place."""
    elsewhere = {
        name: region
        for name, (_, region) in assembly.environments().items()
        if region is not None and region != REGION
    }
    if elsewhere:
        listed = ", ".join(f"{name} in {region}" for name, region in sorted(elsewhere.items()))
        raise ValueError(
            f"local mode runs every account in {REGION}, but the config places {listed}: set the regions "
            f"to {REGION} (config/local-multi-account.toml is the worked example so changed)"
        )


def create_stage_accounts(aws: LocalAws, assembly: Assembly, router: EventRouter) -> list[StageAccount]:
    """Create every target stack's resources in its account and route its rules; record on the tooling bus
    whatever those accounts forward."""
    stage_stacks = assembly.stage_stacks()
    if stage_stacks:
        check_regions(assembly)
    created = []
    for stack, account in stage_stacks.items():
        template = assembly.template(stack)
        deployer = aws.sessions.assume(DEPLOYER.format(account=account, region=REGION))
        resources = create_resources(deployer, template, stack, account)
        specs = functions(template, resources, own_roles=True)
        router.add_stack(deployer, template, resources, specs)
        created.append(StageAccount(stack, deployer, resources, outputs(template, resources), specs))
    if created:
        router.record_arrivals(sorted({stage.account for stage in created}))
    return created
