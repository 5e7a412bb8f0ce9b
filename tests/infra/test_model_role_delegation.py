"""What each stage's CloudFormation role may do with IAM, decided over its resolved policy."""

import json

import pytest

from mlops_audit.iam_policies import ACCOUNT
from tests.infra.iam_evaluation import allowed, managed_policy_arn, role_statements

STAGES = {"Staging": "production", "Production": "staging"}


@pytest.fixture(scope="module")
def tooling(synthesized_app):
    (path,) = [p for p in synthesized_app.template_files() if p.name.endswith("-Tooling.template.json")]
    return path.name, json.loads(path.read_text())


def role(stage, name="endpoint-model-role"):
    return f"arn:aws:iam::{ACCOUNT}:role/mlops/{stage}/{name}"


def setup(tooling, stage):
    name, template = tooling
    statements = role_statements(name, template, f"Deployment{stage}RolesCloudFormationExecution")
    boundary = managed_policy_arn(name, template, f"Deployment{stage}RolesModelRoleBoundary")
    other = managed_policy_arn(
        name, template, f"Deployment{STAGES[stage].capitalize()}RolesModelRoleBoundary"
    )
    return statements, boundary, other


@pytest.mark.parametrize("stage", STAGES)
def test_creates_a_role_under_its_path_with_its_boundary(tooling, stage):
    statements, boundary, _ = setup(tooling, stage)
    assert allowed(statements, "iam:CreateRole", role(stage.lower()), **{"iam:PermissionsBoundary": boundary})


@pytest.mark.parametrize("stage", STAGES)
def test_cannot_create_a_role_without_a_boundary(tooling, stage):
    statements, _, _ = setup(tooling, stage)
    assert not allowed(statements, "iam:CreateRole", role(stage.lower()))


@pytest.mark.parametrize("stage", STAGES)
def test_cannot_create_a_role_with_the_other_stages_boundary(tooling, stage):
    statements, _, other = setup(tooling, stage)
    assert not allowed(
        statements, "iam:CreateRole", role(stage.lower()), **{"iam:PermissionsBoundary": other}
    )


@pytest.mark.parametrize("stage", STAGES)
def test_cannot_create_a_role_outside_its_path(tooling, stage):
    statements, boundary, _ = setup(tooling, stage)
    with_boundary = {"iam:PermissionsBoundary": boundary}
    for outside in (role(STAGES[stage]), f"arn:aws:iam::{ACCOUNT}:role/admin", role(f"{stage.lower()}-x")):
        assert not allowed(statements, "iam:CreateRole", outside, **with_boundary), outside


@pytest.mark.parametrize("stage", STAGES)
def test_changes_inline_policies_only_of_its_bounded_roles(tooling, stage):
    statements, boundary, other = setup(tooling, stage)
    own = role(stage.lower())
    assert allowed(statements, "iam:PutRolePolicy", own, **{"iam:PermissionsBoundary": boundary})
    assert not allowed(statements, "iam:PutRolePolicy", own, **{"iam:PermissionsBoundary": other})
    assert not allowed(
        statements, "iam:PutRolePolicy", role(STAGES[stage]), **{"iam:PermissionsBoundary": boundary}
    )


@pytest.mark.parametrize("stage", STAGES)
def test_cannot_remove_swap_or_edit_the_boundary_or_attach_managed_policies(tooling, stage):
    statements, boundary, other = setup(tooling, stage)
    own = role(stage.lower())
    assert not allowed(statements, "iam:DeleteRolePermissionsBoundary", own)
    assert not allowed(
        statements, "iam:PutRolePermissionsBoundary", own, **{"iam:PermissionsBoundary": other}
    )
    assert not allowed(statements, "iam:AttachRolePolicy", own, **{"iam:PermissionsBoundary": boundary})
    for edit in ("iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicy"):
        assert not allowed(statements, edit, boundary), edit


@pytest.mark.parametrize("stage", STAGES)
def test_passes_only_its_stages_model_roles_and_only_to_sagemaker(tooling, stage):
    statements, _, _ = setup(tooling, stage)
    to_sagemaker = {"iam:PassedToService": "sagemaker.amazonaws.com"}
    assert allowed(statements, "iam:PassRole", role(stage.lower()), **to_sagemaker)
    assert not allowed(statements, "iam:PassRole", role(STAGES[stage]), **to_sagemaker)
    assert not allowed(
        statements, "iam:PassRole", role(stage.lower()), **{"iam:PassedToService": "lambda.amazonaws.com"}
    )
