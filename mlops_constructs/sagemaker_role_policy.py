"""A stage's SageMaker policies: the ceiling of its per-model roles, and what its own jobs role may do.

Each endpoint stack creates its model's role (mlops_constructs/model_role.py) with this stage's boundary:
whatever that role's policy says, it can never do more than serve registered artifacts, read async requests
and write this stage's capture and answers. The stage's own SageMaker role runs only what is not an endpoint
(Model Monitor jobs, and in production the batch transform workflow), so it writes no capture.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from aws_cdk import ArnFormat, PhysicalName, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from lambdas.smoke_test.settings import ASYNC_INPUT_PREFIX
from mlops_constructs.acknowledge import acknowledge, iam5_arn, iam5_resource, in_regulatory_packs
from mlops_constructs.bucket_reads import BucketReads, ToolingReads
from mlops_constructs.image_accounts import pull_condition
from mlops_constructs.model_network import network_statements
from mlops_constructs.model_registry import ASYNC_OUTPUT_PREFIX, CAPTURE_PREFIX
from mlops_constructs.model_role import PULL_ACTIONS
from mlops_constructs.service_trust import grant_key_via, grant_sagemaker_logs, via_services
from mlops_contract.pipeline import endpoint_name

# Registration copies each verified artifact to this write-once, content-addressed prefix; endpoints
# load only what was registered there, never the upload under models/.
ARTIFACTS_PREFIX = "artifacts/sha256/"
_NO_RESOURCE_LEVEL = "These actions support no resource-level permissions (ECR auth, metrics)."
_LOG_ACTIONS = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]


def capture_prefix(stage: str) -> str:
    """Data capture of the stage's endpoints: `capture/<model>-<stage>/<variant>/yyyy/mm/dd/hh/`."""
    return f"{CAPTURE_PREFIX}/{endpoint_name('*', stage)}/*"


def async_output_prefix(stage: str) -> str:
    """Answers of the stage's asynchronous endpoints (the pipeline's AsyncOutputS3Uri)."""
    return f"{ASYNC_OUTPUT_PREFIX}{stage}/*"


@dataclass(frozen=True)
class StageNetwork:
    """The subnets and security groups a stage's models run in (its VPC)."""

    subnet_ids: tuple[str, ...]
    security_group_ids: tuple[str, ...]


def stage_network(subnet_ids: Sequence[str], security_group_ids: Sequence[str]) -> StageNetwork | None:
    """The stage's VPC placement, or None when it has no subnets (its models run outside a VPC)."""
    return StageNetwork(tuple(subnet_ids), tuple(security_group_ids)) if subnet_ids else None


def serving_boundary(
    scope: Construct,
    *,
    stage: str,
    registry: BucketReads,
    capture: s3.IBucket,
    key: kms.IKey,
    image_accounts: Sequence[str],
    network: StageNetwork | None = None,
) -> iam.ManagedPolicy:
    """The stage's ceiling for per-model roles: registered artifacts, async requests, this stage's writes,
    and network interfaces in the stage's subnets when it has a VPC."""
    boundary = iam.ManagedPolicy(
        scope,
        "ModelRoleBoundary",
        managed_policy_name=PhysicalName.GENERATE_IF_NEEDED,  # named when the tooling account names it
        description=f"Ceiling of the per-model SageMaker roles of {stage} endpoints",
        statements=[
            *registry.statements(scope, [f"{ARTIFACTS_PREFIX}*"]),
            iam.PolicyStatement(
                actions=["s3:GetObject"], resources=[capture.arn_for_objects(f"{ASYNC_INPUT_PREFIX}*")]
            ),
            iam.PolicyStatement(actions=["s3:PutObject"], resources=_stage_writes(capture, stage)),
            *_runtime_statements(scope, key, image_accounts),
            *(network_statements(scope, network.subnet_ids, network.security_group_ids) if network else []),
        ],
    )
    reasons = _boundary_reasons(stage, registry, capture)
    if network:
        reasons[iam5_arn("ec2", "network-interface/*")] = "SageMaker names the interfaces it creates."
        reasons["AwsSolutions-IAM5[Resource::*]"] = f"{_NO_RESOURCE_LEVEL[:-1]}, EC2 Describe* calls)."
    acknowledge(boundary, reasons)
    return boundary


def _stage_writes(capture: s3.IBucket, stage: str) -> list[str]:
    """Captured data and asynchronous answers of the stage's endpoints."""
    return [
        capture.arn_for_objects(capture_prefix(stage)),
        capture.arn_for_objects(async_output_prefix(stage)),
    ]


def _runtime_statements(
    scope: Construct, key: kms.IKey, image_accounts: Sequence[str]
) -> list[iam.PolicyStatement]:
    """The data key via S3, image pulls from the image accounts, SageMaker's log groups, metrics."""
    stack = Stack.of(scope)
    repositories = stack.format_arn(service="ecr", account="*", resource="repository", resource_name="*")
    logs = stack.format_arn(
        service="logs",
        resource="log-group",
        resource_name="/aws/sagemaker/*",
        arn_format=ArnFormat.COLON_RESOURCE_NAME,
    )
    return [
        iam.PolicyStatement(
            actions=["kms:Decrypt", "kms:GenerateDataKey"],
            resources=[key.key_arn],
            conditions=via_services(scope, ["s3"]),
        ),
        iam.PolicyStatement(
            actions=list(PULL_ACTIONS),
            resources=[repositories],
            conditions=pull_condition(scope, image_accounts),
        ),
        iam.PolicyStatement(actions=_LOG_ACTIONS, resources=[logs]),
        iam.PolicyStatement(
            actions=["ecr:GetAuthorizationToken", "cloudwatch:PutMetricData"], resources=["*"]
        ),
    ]


def _boundary_reasons(stage: str, registry: BucketReads, capture: s3.IBucket) -> dict[str, str]:
    tooling_keys = (
        {registry.key_finding(): "Keys of the tooling account, through S3 in its region only."}
        if isinstance(registry, ToolingReads)
        else {}
    )
    return tooling_keys | {
        registry.finding(f"{ARTIFACTS_PREFIX}*"): "Ceiling only: each model's role reads its own artifact.",
        iam5_resource(capture, f"/{capture_prefix(stage)}"): "Capture of this stage's endpoints only.",
        iam5_resource(capture, f"/{async_output_prefix(stage)}"): "Async answers of this stage only.",
        iam5_resource(capture, f"/{ASYNC_INPUT_PREFIX}*"): "Async endpoints read their requests here.",
        iam5_arn("ecr", "repository/*", account="*"): "Only from the image accounts (aws:ResourceAccount).",
        iam5_arn("logs", "log-group:/aws/sagemaker/*"): "SageMaker names its endpoint log groups itself.",
        "AwsSolutions-IAM5[Resource::*]": _NO_RESOURCE_LEVEL,
    }


def grant_job_runtime(role: iam.Role, *, key: kms.IKey, image_accounts: Sequence[str]) -> None:
    """What every SageMaker job of the stage role needs: image pulls, logs, metrics, the data key via S3."""
    grant_key_via(role, key, ["s3"], "kms:Decrypt", "kms:GenerateDataKey")
    repositories = Stack.of(role).format_arn(
        service="ecr", account="*", resource="repository", resource_name="*"
    )
    role.add_to_policy(
        iam.PolicyStatement(
            actions=list(PULL_ACTIONS),
            resources=[repositories],
            conditions=pull_condition(role, image_accounts),
        )
    )
    grant_sagemaker_logs(role, "/aws/sagemaker/*", describe=True)
    role.add_to_policy(
        iam.PolicyStatement(
            actions=["ecr:GetAuthorizationToken", "cloudwatch:PutMetricData"], resources=["*"]
        )
    )
    acknowledge(
        role.node.find_child("DefaultPolicy"),
        {
            iam5_arn(
                "ecr", "repository/*", account="*"
            ): "Only from the image accounts (aws:ResourceAccount).",
            iam5_arn("logs", "log-group:/aws/sagemaker/*"): "SageMaker names its job log groups itself.",
            "AwsSolutions-IAM5[Resource::*]": _NO_RESOURCE_LEVEL,
            **in_regulatory_packs("IAMNoInlinePolicy", "Policy bound one-to-one to this role."),
        },
    )


def grant_registered_artifacts(role: iam.Role, registry: BucketReads) -> None:
    """Batch transform: the workflow creates a model of any registered package with this role."""
    registry.grant(role, [f"{ARTIFACTS_PREFIX}*"])
    acknowledge(
        role.node.find_child("DefaultPolicy"),
        {registry.finding(f"{ARTIFACTS_PREFIX}*"): "Batch transform runs any registered model version."},
    )
