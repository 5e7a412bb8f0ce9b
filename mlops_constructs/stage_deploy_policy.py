"""Deploy and CloudFormation execution roles of a stage: that stage's endpoint stacks, nothing else.

Stage scoping: stacks and endpoints by name (`mlops-<model>-<stage>`, `<model>-<stage>`); models and endpoint
configurations, whose names CloudFormation generates, by the `mlops:StageName` tag that the blueprint puts on
every resource (SageMaker authorizes `aws:RequestTag` on create and `aws:ResourceTag` afterwards).
"""

from aws_cdk import ArnFormat, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms

from mlops_constructs.acknowledge import acknowledge, iam5_arn, in_regulatory_packs
from mlops_constructs.bucket_reads import BucketReads
from mlops_constructs.service_trust import grant_key_via
from mlops_contract.pipeline import endpoint_name, endpoint_stack_name

STAGE_TAG = "mlops:StageName"
_CREATE = ["sagemaker:CreateModel", "sagemaker:CreateEndpointConfig", "sagemaker:CreateEndpoint"]
_EXISTING = [
    "sagemaker:DescribeModel",
    "sagemaker:DeleteModel",
    "sagemaker:DescribeEndpointConfig",
    "sagemaker:DeleteEndpointConfig",
    "sagemaker:UpdateEndpoint",
    "sagemaker:DescribeEndpoint",
    "sagemaker:DeleteEndpoint",
    "sagemaker:ListTags",
]
# Tags are added on create (request tag only) and changed on update (resource tag only, e.g. ModelVersion).
_TAGGING = ["sagemaker:AddTags", "sagemaker:DeleteTags"]
_ALARM_ACTIONS = [
    "cloudwatch:PutMetricAlarm",
    "cloudwatch:DeleteAlarms",
    "cloudwatch:DescribeAlarms",
    "cloudwatch:TagResource",
    "cloudwatch:UntagResource",
]
_STACK_ACTIONS = [
    "cloudformation:CreateStack",
    "cloudformation:UpdateStack",
    "cloudformation:DeleteStack",
    "cloudformation:DescribeStacks",
    "cloudformation:DescribeStackEvents",
    "cloudformation:DescribeStackResources",
    "cloudformation:GetTemplate",
    "cloudformation:CreateChangeSet",
    "cloudformation:DescribeChangeSet",
    "cloudformation:ExecuteChangeSet",
    "cloudformation:DeleteChangeSet",
]
_GENERATED = "Models and endpoint configurations get generated names; the mlops:StageName tag scopes them."


def sagemaker_resources(role: iam.IRole, stage: str) -> list[str]:
    """Models and endpoint configurations (any name), and this stage's endpoints (`<model>-<stage>`)."""
    arn = Stack.of(role).format_arn
    return [
        arn(service="sagemaker", resource="model", resource_name="*"),
        arn(service="sagemaker", resource="endpoint-config", resource_name="*"),
        arn(service="sagemaker", resource="endpoint", resource_name=endpoint_name("*", stage)),
    ]


def grant_endpoint_resources(role: iam.Role, stage: str, key: kms.IKey) -> None:
    """The blueprint's SageMaker resources and alarms for `stage` only; the key only through SageMaker."""
    resources = sagemaker_resources(role, stage)
    tag = f"aws:RequestTag/{STAGE_TAG}"
    resource_tag = f"aws:ResourceTag/{STAGE_TAG}"
    for actions, condition in (
        (_CREATE, {"StringEquals": {tag: stage}}),
        (_EXISTING, {"StringEquals": {resource_tag: stage}}),
        (_TAGGING, {"StringEqualsIfExists": {tag: stage, resource_tag: stage}}),
    ):
        role.add_to_policy(iam.PolicyStatement(actions=actions, resources=resources, conditions=condition))
    alarms = Stack.of(role).format_arn(
        service="cloudwatch",
        resource="alarm",
        resource_name=f"{endpoint_stack_name('*', stage)}-*",  # CloudFormation: <stack>-<logical id>-<suffix>
        arn_format=ArnFormat.COLON_RESOURCE_NAME,
    )
    role.add_to_policy(iam.PolicyStatement(actions=_ALARM_ACTIONS, resources=[alarms]))
    # SageMaker (storage volumes, capture) and Scheduler (schedule encryption) use the key on its behalf.
    grant_key_via(role, key, ["sagemaker", "scheduler"], "kms:CreateGrant", "kms:DescribeKey")


def acknowledge_endpoint_resources(role: iam.Role, stage: str) -> dict[str, str]:
    """IAM5 reasons for the wildcards of `grant_endpoint_resources`."""
    return {
        iam5_arn("sagemaker", "model/*"): _GENERATED,
        iam5_arn("sagemaker", "endpoint-config/*"): _GENERATED,
        iam5_arn(
            "sagemaker", f"endpoint/{endpoint_name('*', stage)}"
        ): "Endpoints of this stage, one per model.",
        iam5_arn(
            "cloudwatch", f"alarm:{endpoint_stack_name('*', stage)}-*"
        ): "Alarms of this stage's endpoint stacks.",
    }


def grant_stack_deployment(role: iam.Role, stage: str, artifacts: BucketReads) -> None:
    """Deploy: this stage's endpoint stacks only, with templates read from the pipelines' artifacts."""
    stacks = Stack.of(role).format_arn(
        service="cloudformation", resource="stack", resource_name=f"{endpoint_stack_name('*', stage)}/*"
    )
    role.add_to_policy(iam.PolicyStatement(actions=_STACK_ACTIONS, resources=[stacks]))
    artifacts.grant(role, ["*"], ["s3:GetObject", "s3:GetObjectVersion"])
    acknowledge(
        role.node.find_child("DefaultPolicy"),
        {
            iam5_arn(
                "cloudformation", f"stack/{endpoint_stack_name('*', stage)}/*"
            ): "This stage's endpoint stacks, one per registered model.",
            artifacts.finding("*"): "Reads the blueprint templates of any pipeline execution.",
            **in_regulatory_packs("IAMNoInlinePolicy", "Policy bound one-to-one to this role."),
        },
    )
