"""A stage's SageMaker execution role: serve registered artifacts, capture, answer async requests."""

from collections.abc import Sequence

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3

from lambdas.smoke_test.settings import ASYNC_INPUT_PREFIX
from mlops_constructs.acknowledge import acknowledge, iam5_arn, iam5_resource, in_regulatory_packs
from mlops_constructs.bucket_reads import BucketReads
from mlops_constructs.image_accounts import pull_condition
from mlops_constructs.model_registry import ASYNC_OUTPUT_PREFIX, CAPTURE_PREFIX
from mlops_constructs.service_trust import grant_key_via, grant_sagemaker_logs
from mlops_contract.pipeline import endpoint_name

# Registration copies each verified artifact to this write-once, content-addressed prefix; endpoints
# load only what was registered there, never the upload under models/.
ARTIFACTS_PREFIX = "artifacts/sha256/"
PULL_ACTIONS = ("ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage")
_NO_RESOURCE_LEVEL = "These actions support no resource-level permissions (ECR auth, metrics)."


def capture_prefix(stage: str) -> str:
    """Data capture of the stage's endpoints: `capture/<model>-<stage>/<variant>/yyyy/mm/dd/hh/`."""
    return f"{CAPTURE_PREFIX}/{endpoint_name('*', stage)}/*"


def async_output_prefix(stage: str) -> str:
    """Answers of the stage's asynchronous endpoints (the pipeline's AsyncOutputS3Uri)."""
    return f"{ASYNC_OUTPUT_PREFIX}{stage}/*"


def grant_serving(
    role: iam.Role,
    *,
    stage: str,
    registry: BucketReads,
    capture: s3.IBucket,
    key: kms.IKey,
    image_accounts: Sequence[str],
) -> None:
    """Read registered artifacts and async requests, write this stage's capture and answers only."""
    registry.grant(role, [f"{ARTIFACTS_PREFIX}*"])
    async_requests = capture.arn_for_objects(f"{ASYNC_INPUT_PREFIX}*")
    role.add_to_policy(iam.PolicyStatement(actions=["s3:GetObject"], resources=[async_requests]))
    writes = [
        capture.arn_for_objects(capture_prefix(stage)),
        capture.arn_for_objects(async_output_prefix(stage)),
    ]
    role.add_to_policy(iam.PolicyStatement(actions=["s3:PutObject"], resources=writes))
    # S3 encrypts and decrypts these objects with the data key on the role's behalf.
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
    _runtime(role)
    _acknowledge(role, stage, registry, capture)


def _runtime(role: iam.Role) -> None:
    """Endpoint logs, ECR authentication and metrics, which every SageMaker endpoint needs."""
    grant_sagemaker_logs(role, "/aws/sagemaker/*", describe=True)
    role.add_to_policy(
        iam.PolicyStatement(
            actions=["ecr:GetAuthorizationToken", "cloudwatch:PutMetricData"], resources=["*"]
        )
    )


def _acknowledge(role: iam.Role, stage: str, registry: BucketReads, capture: s3.IBucket) -> None:
    acknowledge(
        role.node.find_child("DefaultPolicy"),
        {
            registry.finding(f"{ARTIFACTS_PREFIX}*"): "Registered artifacts are named by their digest.",
            iam5_resource(capture, f"/{capture_prefix(stage)}"): "Capture of this stage's endpoints only.",
            iam5_resource(capture, f"/{async_output_prefix(stage)}"): "Async answers of this stage only.",
            iam5_resource(capture, f"/{ASYNC_INPUT_PREFIX}*"): "Async endpoints read their requests here.",
            iam5_arn(
                "ecr", "repository/*", account="*"
            ): "Only from the image accounts (aws:ResourceAccount).",
            iam5_arn("logs", "log-group:/aws/sagemaker/*"): "SageMaker names its endpoint log groups itself.",
            "AwsSolutions-IAM5[Resource::*]": _NO_RESOURCE_LEVEL,
            **in_regulatory_packs("IAMNoInlinePolicy", "Policy bound one-to-one to this role."),
        },
    )
