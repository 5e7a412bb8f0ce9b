"""What a stage's CloudFormation role may do with IAM: the per-model roles of that stage, under its boundary.

The pattern of the IAM User Guide's "Permissions boundaries for IAM entities" (delegating role creation):
roles may be created or their inline policies changed only with the stage's boundary attached
(`iam:PermissionsBoundary`), only under the stage's path (the role ARN carries the path), and the boundary
can be neither removed nor swapped nor edited. No managed policy may be attached: a per-model role has its
one inline policy. The role may pass only roles under its stage's path, and only to SageMaker.
"""

from aws_cdk import Stack
from aws_cdk import aws_iam as iam

from mlops_constructs.service_trust import allow_pass_role
from mlops_contract.pipeline import model_role_path

# Called with the boundary named in the request, which the condition key reports (Service Authorization
# Reference, "Actions, resources, and condition keys for AWS Identity and Access Management").
BOUNDED = ["iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:PutRolePermissionsBoundary"]
# What CloudFormation calls to read, update, tag and delete an AWS::IAM::Role with inline policies.
PATH_SCOPED = [
    "iam:GetRole",
    "iam:GetRolePolicy",
    "iam:ListRolePolicies",
    "iam:ListAttachedRolePolicies",
    "iam:UpdateRole",
    "iam:UpdateRoleDescription",
    "iam:UpdateAssumeRolePolicy",
    "iam:TagRole",
    "iam:UntagRole",
    "iam:DeleteRole",
]
NEVER = ["iam:DeleteRolePermissionsBoundary", "iam:AttachRolePolicy", "iam:DetachRolePolicy"]
_POLICY_EDITS = [
    "iam:CreatePolicyVersion",
    "iam:DeletePolicy",
    "iam:DeletePolicyVersion",
    "iam:SetDefaultPolicyVersion",
]
_BOUNDARY_KEY = "iam:PermissionsBoundary"


def model_roles_arn(scope: Stack, stage: str) -> str:
    """Every role under the stage's path in the stack's account: `arn:…:role/mlops/<stage>/*`."""
    return scope.format_arn(
        service="iam", region="", resource="role", resource_name=f"{model_role_path(stage)[1:]}*"
    )


def delegate_model_roles(role: iam.Role, *, stage: str, boundary: iam.ManagedPolicy) -> dict[str, str]:
    """Let `role` manage and pass the stage's per-model roles; returns the IAM5 reasons of its wildcards."""
    roles = model_roles_arn(Stack.of(role), stage)
    with_boundary = {"ArnEquals": {_BOUNDARY_KEY: boundary.managed_policy_arn}}
    role.add_to_policy(iam.PolicyStatement(actions=BOUNDED, resources=[roles], conditions=with_boundary))
    role.add_to_policy(iam.PolicyStatement(actions=PATH_SCOPED, resources=[roles]))
    allow_pass_role(role, roles)
    _deny_boundary_changes(role, boundary)
    path = model_role_path(stage)[1:]
    return {
        f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role/{path}*]": (
            "Per-model roles get generated names under this stage's path, always with its boundary."
        ),
    }


def _deny_boundary_changes(role: iam.Role, boundary: iam.ManagedPolicy) -> None:
    """Denies that hold whatever else the role is ever given.

    A request without a boundary has no value for the key, and ArnNotEquals is then true: a role without
    this boundary cannot be created anywhere.
    """
    other_boundary = {"ArnNotEquals": {_BOUNDARY_KEY: boundary.managed_policy_arn}}
    for actions, resources, conditions in (
        (BOUNDED, ["*"], other_boundary),
        (NEVER, ["*"], None),
        (_POLICY_EDITS, [boundary.managed_policy_arn], None),
    ):
        role.add_to_policy(
            iam.PolicyStatement(
                effect=iam.Effect.DENY, actions=actions, resources=resources, conditions=conditions
            )
        )
