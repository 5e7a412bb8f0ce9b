"""Small corrections to what CDK renders, each for a named cfn-lint or checkov finding."""

from aws_cdk import CfnResource, Stack
from aws_cdk import aws_iam as iam
from constructs import IConstruct

from mlops_constructs.acknowledge import role_policy


def depend_on_policy_only(resource: IConstruct, role: iam.IRole) -> None:
    """Keep only the DependsOn on the role's policy: the role itself is already a GetAtt (cfn-lint W3005)."""
    policy = role_policy(role).node.default_child
    target = resource.node.default_child
    assert isinstance(policy, CfnResource) and isinstance(target, CfnResource)
    target.add_override("DependsOn", [Stack.of(target).get_logical_id(policy)])
