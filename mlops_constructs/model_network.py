"""Network interfaces for models in a stage's VPC: what SageMaker does with the model's role there.

SageMaker creates and deletes the elastic network interfaces of a model with a VpcConfig using the model's
execution role (SageMaker developer guide, "Give SageMaker AI Hosted Endpoints Access to Resources in Your
Amazon VPC": the role needs these EC2 actions). Each model's role asks for them on any interface, subnet and
security group of its account and region; the stage's boundary grants them only for the subnets and security
groups configured for the stage, and not at all for a stage without a VPC, so the two together allow exactly
the stage's network.
"""

from collections.abc import Sequence

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from constructs import Construct

# EC2 reads without resource-level permissions.
DESCRIBE_ACTIONS = (
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeVpcs",
    "ec2:DescribeDhcpOptions",
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
)
INTERFACE_ACTIONS = (
    "ec2:CreateNetworkInterfacePermission",
    "ec2:DeleteNetworkInterface",
    "ec2:DeleteNetworkInterfacePermission",
)
CREATE_ACTION = "ec2:CreateNetworkInterface"


def ec2_arn(scope: Construct, resource: str, name: str) -> str:
    """An EC2 resource ARN of the scope's account and region."""
    return Stack.of(scope).format_arn(service="ec2", resource=resource, resource_name=name)


def network_statements(
    scope: Construct, subnets: Sequence[str] = ("*",), security_groups: Sequence[str] = ("*",)
) -> list[iam.PolicyStatement]:
    """Create and delete interfaces in the given subnets with the given security groups (any: "*")."""
    interfaces = ec2_arn(scope, "network-interface", "*")
    placement = [ec2_arn(scope, "subnet", s) for s in subnets]
    placement += [ec2_arn(scope, "security-group", g) for g in security_groups]
    return [
        iam.PolicyStatement(actions=[CREATE_ACTION], resources=[interfaces, *placement]),
        iam.PolicyStatement(actions=list(INTERFACE_ACTIONS), resources=[interfaces]),
        iam.PolicyStatement(actions=list(DESCRIBE_ACTIONS), resources=["*"]),
    ]
