"""A stage in a VPC: its subnets reach the blueprint; its models' roles place interfaces only there."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mlops_audit.iam_policies import ACCOUNT, PolicyKind, template_policies
from tests.conftest import REPO_ROOT
from tests.infra.iam_evaluation import allowed
from tests.infra.test_deployment_pipeline import deploy_actions, override_keys

SUBNETS = ("subnet-0123456789abcdef0", "subnet-0fedcba9876543210")
GROUP = "sg-0123456789abcdef0"
TOOLING = "MlopsOrchestrator-Tooling"


@pytest.fixture(scope="module")
def vpc_app(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any]]:
    """The tooling template and realtime blueprint of the default config with staging in a VPC
    (production stays outside)."""
    from aws_cdk import App

    from mlops_config import load_config
    from mlops_contract.pipeline import TEMPLATES_FOLDER, template_file_name
    from mlops_manifest.inference import InferenceType
    from stacks.orchestrator_app import BLUEPRINTS_FOLDER, build_app, feature_flags

    folder = tmp_path_factory.mktemp("vpc")
    text = (REPO_ROOT / "config" / "default.toml").read_text()
    vpc = f'name = "staging"\nsubnet_ids = {json.dumps(list(SUBNETS))}\nsecurity_group_ids = ["{GROUP}"]'
    (folder / "vpc.toml").write_text(text.replace('name = "staging"', vpc))
    config = load_config(folder / "vpc.toml")
    assert config.stages[0].subnet_ids  # the replacement above really configured a VPC
    app = build_app(App(outdir=str(folder / "out"), context=feature_flags()), config)
    tooling = dict(app.synth().get_stack_by_name(TOOLING).template)
    templates = folder / "out" / BLUEPRINTS_FOLDER / TEMPLATES_FOLDER
    return tooling, json.loads((templates / template_file_name(InferenceType.REALTIME)).read_text())


@pytest.fixture
def vpc_tooling(vpc_app: tuple[dict[str, Any], dict[str, Any]]) -> dict[str, Any]:
    return vpc_app[0]


def boundary(template: dict[str, Any], stage: str) -> list[dict[str, Any]]:
    """The resolved statements of the stage's per-model role boundary."""
    (policy,) = [
        p
        for p in template_policies(TOOLING, template)
        if p.kind is PolicyKind.IDENTITY and p.resource.startswith(f"Deployment{stage}RolesModelRoleBoundary")
    ]
    return list(policy.document["Statement"])


def model_role(blueprint: dict[str, Any]) -> list[dict[str, Any]]:
    """The resolved statements of the realtime blueprint's model role."""
    resources = blueprint["Resources"]
    (policy,) = [
        p
        for p in template_policies("blueprint", blueprint)
        if p.kind is PolicyKind.IDENTITY and "PermissionsBoundary" in resources[p.resource]["Properties"]
    ]
    return list(policy.document["Statement"])


def subnet(name: str) -> str:
    return f"arn:aws:ec2:us-east-1:{ACCOUNT}:subnet/{name}"


def test_stage_vpc_settings_reach_the_blueprint(vpc_tooling):
    pipeline = next(
        r["Properties"]
        for r in vpc_tooling["Resources"].values()
        if r["Type"] == "AWS::CodePipeline::Pipeline"
    )
    _, staging = override_keys(deploy_actions(pipeline)["Staging"])
    _, production = override_keys(deploy_actions(pipeline)["Production"])
    assert staging["SubnetIds"] == ",".join(SUBNETS)
    assert staging["SecurityGroupIds"] == GROUP
    assert production["SubnetIds"] == ""


@pytest.mark.parametrize("name", SUBNETS)
def test_a_vpc_stages_models_may_place_interfaces_in_its_subnets(vpc_app, name):
    role, ceiling = model_role(vpc_app[1]), boundary(vpc_app[0], "Staging")
    # Effective permissions are what both the role's policy and its boundary allow.
    assert allowed(role, "ec2:CreateNetworkInterface", subnet(name))
    assert allowed(ceiling, "ec2:CreateNetworkInterface", subnet(name))


def test_no_other_subnet_or_security_group(vpc_tooling):
    ceiling = boundary(vpc_tooling, "Staging")
    other_group = f"arn:aws:ec2:us-east-1:{ACCOUNT}:security-group/sg-0aaaaaaaaaaaaaaaa"
    assert not allowed(ceiling, "ec2:CreateNetworkInterface", subnet("subnet-0aaaaaaaaaaaaaaaa"))
    assert not allowed(ceiling, "ec2:CreateNetworkInterface", other_group)
    assert allowed(
        ceiling, "ec2:CreateNetworkInterface", f"arn:aws:ec2:us-east-1:{ACCOUNT}:security-group/{GROUP}"
    )


def test_a_stage_outside_a_vpc_allows_no_network_interfaces(vpc_tooling):
    ceiling = boundary(vpc_tooling, "Production")
    assert not any("ec2:" in json.dumps(statement["Action"]) for statement in ceiling)
