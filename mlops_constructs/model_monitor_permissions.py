"""Stage-role permissions for the blueprint's opt-in SageMaker Model Monitor data-quality schedule."""

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3

from mlops_constructs.acknowledge import acknowledge, iam5_arn, iam5_resource
from mlops_constructs.bucket_reads import BucketReads
from mlops_constructs.data_quality_monitor import MODEL_MONITOR_PREFIX
from mlops_constructs.service_trust import allow_pass_role

# Job definitions are immutable (CloudFormation replaces them); schedules are updated in place.
_ACTIONS = {
    "data-quality-job-definition": [
        "sagemaker:CreateDataQualityJobDefinition",
        "sagemaker:DescribeDataQualityJobDefinition",
        "sagemaker:DeleteDataQualityJobDefinition",
    ],
    "monitoring-schedule": [
        "sagemaker:CreateMonitoringSchedule",
        "sagemaker:UpdateMonitoringSchedule",
        "sagemaker:DescribeMonitoringSchedule",
        "sagemaker:DeleteMonitoringSchedule",
    ],
}
# Where a model's Model Monitor statistics and constraints may lie in the registry bucket.
_BASELINES = ("datasets/*", "models/*")
_TAG_ACTIONS = ["sagemaker:AddTags", "sagemaker:DeleteTags", "sagemaker:ListTags"]
_REASONS = {
    "data-quality-job-definition": "One generated job definition per endpoint stack; generated names.",
    "monitoring-schedule": "One schedule per endpoint, named after it; endpoints are created per model.",
}


def grant_model_monitor_deployment(role: iam.Role, jobs_role: iam.IRole) -> None:
    """The CloudFormation execution role may manage the blueprint's job definition and schedule, and hand
    the jobs the stage's SageMaker role (endpoints have their own roles, which never run these jobs)."""
    allow_pass_role(role, jobs_role.role_arn)
    arn = Stack.of(role).format_arn
    for kind, actions in _ACTIONS.items():
        resource = arn(service="sagemaker", resource=kind, resource_name="*")
        role.add_to_policy(iam.PolicyStatement(actions=[*actions, *_TAG_ACTIONS], resources=[resource]))
    acknowledge(
        role.node.find_child("DefaultPolicy"),
        {iam5_arn("sagemaker", f"{kind}/*"): reason for kind, reason in _REASONS.items()},
    )


def grant_model_monitor_jobs(
    role: iam.Role, *, registry: BucketReads, capture: s3.IBucket, reports: s3.IBucket, key: kms.IKey
) -> None:
    """The SageMaker execution role runs the jobs: reads baselines (from the registry, in this account or
    the tooling account) and captures, writes reports (both in the stage's own account)."""
    registry.grant(role, _BASELINES)
    role.add_to_policy(
        iam.PolicyStatement(actions=["s3:GetObject"], resources=[capture.arn_for_objects("*")])
    )
    role.add_to_policy(iam.PolicyStatement(actions=["s3:ListBucket"], resources=[capture.bucket_arn]))
    role.add_to_policy(
        iam.PolicyStatement(
            actions=["s3:PutObject"], resources=[reports.arn_for_objects(f"{MODEL_MONITOR_PREFIX}/*")]
        )
    )
    # The job's storage volume is encrypted with the data key through a grant SageMaker creates.
    role.add_to_policy(
        iam.PolicyStatement(
            actions=["kms:CreateGrant"],
            resources=[key.key_arn],
            conditions={"Bool": {"kms:GrantIsForAWSResource": "true"}},
        )
    )
    acknowledge(
        role.node.find_child("DefaultPolicy"),
        {
            registry.finding("datasets/*"): "Model Monitor baselines may be shared datasets.",
            registry.finding("models/*"): "A model's Model Monitor statistics and constraints, as uploaded.",
            iam5_resource(capture, "/*"): "The schedule's job reads the captured traffic of its endpoint.",
            iam5_resource(reports, f"/{MODEL_MONITOR_PREFIX}/*"): "Writes <endpoint>/<date>/ reports.",
        },
    )
