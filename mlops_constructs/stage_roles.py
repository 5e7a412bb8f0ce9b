"""StageRoles: the roles of one deployment stage — deploy, CloudFormation and SageMaker execution."""

from collections.abc import Sequence

from aws_cdk import ArnFormat, PhysicalName, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_scheduler as scheduler
from constructs import Construct

from mlops_constructs.acknowledge import acknowledge, iam5_arn, in_regulatory_packs
from mlops_constructs.bucket_reads import BucketReads
from mlops_constructs.model_role_delegation import delegate_model_roles
from mlops_constructs.sagemaker_role_policy import StageNetwork, grant_job_runtime, serving_boundary
from mlops_constructs.service_trust import allow_pass_role, sagemaker_principal
from mlops_constructs.stage_deploy_policy import (
    STAGE_TAG,
    acknowledge_endpoint_resources,
    grant_endpoint_resources,
    grant_stack_deployment,
)

# Writes are scoped to scalable targets (RegisterScalableTarget returns a scalable-target ARN); the
# Describe* calls have no resource type in the Service Authorization Reference.
_SCALING_WRITES = [
    "application-autoscaling:RegisterScalableTarget",
    "application-autoscaling:DeregisterScalableTarget",
    "application-autoscaling:PutScalingPolicy",
    "application-autoscaling:DeleteScalingPolicy",
]
# The Service Authorization Reference ("Actions, resources, and condition keys for AWS Application Auto
# Scaling") lists the request's service namespace and scalable dimension for the four writes above, not for
# TagResource, which gets its own statement.
_SAGEMAKER_VARIANTS = {
    "StringEquals": {
        "application-autoscaling:service-namespace": "sagemaker",
        "application-autoscaling:scalable-dimension": "sagemaker:variant:DesiredInstanceCount",
    }
}
_SCALING_READS = [
    "application-autoscaling:DescribeScalableTargets",
    "application-autoscaling:DescribeScalingPolicies",
]
_SCALING_SLR = (
    "aws-service-role/sagemaker.application-autoscaling.amazonaws.com/"
    "AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint"
)
_SCHEDULE_ACTIONS = [
    "scheduler:CreateSchedule",
    "scheduler:UpdateSchedule",
    "scheduler:DeleteSchedule",
    "scheduler:GetSchedule",
]
_NO_RESOURCE_LEVEL = "These actions support no resource-level permissions (Auto Scaling reads)."


def _schedule_finding(group: scheduler.CfnScheduleGroup) -> str:
    """AwsSolutions-IAM5 finding id of the schedules of one group, as cdk-nag prints it."""
    logical = Stack.of(group).get_logical_id(group)
    arn = f"arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/<{logical}>/*"
    return f"AwsSolutions-IAM5[Resource::{arn}]"


class StageRoles(Construct):
    """Deploy (trusted only by the pipelines' role), CloudFormation execution and endpoint SageMaker roles."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: str,
        pipeline_role: iam.IRole,
        registry: BucketReads,
        capture_bucket: s3.IBucket,
        artifacts: BucketReads,
        encryption_key: kms.IKey,
        scheduler_role: iam.IRole,
        schedule_group: scheduler.CfnScheduleGroup,
        image_accounts: Sequence[str] = (),
        network: StageNetwork | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.stage, self.schedule_group = stage, schedule_group
        self._roles(pipeline_role)
        # Endpoints run as their own per-model roles, capped by this boundary; the stage role runs jobs.
        self.model_role_boundary = serving_boundary(
            self,
            stage=stage,
            registry=registry,
            capture=capture_bucket,
            key=encryption_key,
            image_accounts=image_accounts,
            network=network,
        )
        grant_job_runtime(self.sagemaker_role, key=encryption_key, image_accounts=image_accounts)
        self._cloudformation_permissions(encryption_key)
        self._schedule_permissions(scheduler_role, schedule_group)
        grant_stack_deployment(self.deploy_role, stage, artifacts)
        allow_pass_role(self.deploy_role, self.cloudformation_role.role_arn, "cloudformation")

    def _roles(self, pipeline_role: iam.IRole) -> None:
        stage = self.stage
        self.sagemaker_role = iam.Role(
            self,
            "SageMakerExecution",
            role_name=PhysicalName.GENERATE_IF_NEEDED,  # named when the tooling account names it
            assumed_by=sagemaker_principal(self),
            description=f"Runs {stage} SageMaker jobs (Model Monitor, batch transform), never endpoints",
        )
        self.cloudformation_role = iam.Role(
            self,
            "CloudFormationExecution",
            role_name=PhysicalName.GENERATE_IF_NEEDED,  # named when the tooling account names it
            assumed_by=iam.ServicePrincipal("cloudformation.amazonaws.com"),
            description=f"Creates only what the endpoint blueprint declares, for {stage} endpoints",
        )
        # Never the account root: only the deployment pipelines' service role may assume it.
        self.deploy_role = iam.Role(
            self,
            "Deploy",
            role_name=PhysicalName.GENERATE_IF_NEEDED,  # named when the tooling account names it
            assumed_by=iam.ArnPrincipal(pipeline_role.role_arn),
            description=f"Assumed by the deployment pipelines to run CloudFormation for {stage} endpoints",
        )

    def _cloudformation_permissions(self, key: kms.IKey) -> None:
        role = self.cloudformation_role
        grant_endpoint_resources(role, self.stage, key)
        targets = Stack.of(self).format_arn(
            service="application-autoscaling",
            resource="scalable-target",
            resource_name="*",
            arn_format=ArnFormat.SLASH_RESOURCE_NAME,
        )
        self._scaling_permissions(targets)
        self._model_roles = delegate_model_roles(role, stage=self.stage, boundary=self.model_role_boundary)
        scaling_role = Stack.of(self).format_arn(
            service="iam", region="", resource="role", resource_name=_SCALING_SLR
        )
        role.add_to_policy(
            iam.PolicyStatement(
                actions=["iam:CreateServiceLinkedRole"],
                resources=[scaling_role],
                conditions={
                    "StringLike": {"iam:AWSServiceName": "sagemaker.application-autoscaling.amazonaws.com"}
                },
            )
        )
        self._acknowledge_cloudformation()

    def _scaling_permissions(self, targets: str) -> None:
        """SageMaker variants' scalable targets, never one tagged for another stage.

        The same reference lists aws:ResourceTag for every write and aws:RequestTag for RegisterScalableTarget
        and TagResource; the blueprint tags its targets with the stage. Denies, not tag-conditioned allows:
        whether CloudFormation creates a target with its tags in the request or tags it afterwards, this
        stage's deploys go through, and a target of another stage cannot be changed, deleted or retagged.
        """
        role = self.cloudformation_role
        role.add_to_policy(
            iam.PolicyStatement(actions=_SCALING_WRITES, resources=[targets], conditions=_SAGEMAKER_VARIANTS)
        )
        tagging = "application-autoscaling:TagResource"
        role.add_to_policy(iam.PolicyStatement(actions=[tagging], resources=[targets]))
        role.add_to_policy(iam.PolicyStatement(actions=_SCALING_READS, resources=["*"]))
        for key, actions in (
            (f"aws:ResourceTag/{STAGE_TAG}", [*_SCALING_WRITES, tagging]),
            (f"aws:RequestTag/{STAGE_TAG}", ["application-autoscaling:RegisterScalableTarget", tagging]),
        ):
            other_stage = {"StringNotEquals": {key: self.stage}, "Null": {key: "false"}}
            role.add_to_policy(
                iam.PolicyStatement(
                    effect=iam.Effect.DENY, actions=actions, resources=[targets], conditions=other_stage
                )
            )

    def _acknowledge_cloudformation(self) -> None:
        role = self.cloudformation_role
        acknowledge(
            role.node.find_child("DefaultPolicy"),
            {
                **acknowledge_endpoint_resources(role, self.stage),
                **self._model_roles,
                iam5_arn(
                    "application-autoscaling", "scalable-target/*"
                ): "Scalable targets get generated IDs.",
                _schedule_finding(
                    self.schedule_group
                ): "Drift and quality schedules per endpoint stack, in this stage's schedule group.",
                "AwsSolutions-IAM5[Resource::*]": _NO_RESOURCE_LEVEL,
                **in_regulatory_packs("IAMNoInlinePolicy", "Policy bound one-to-one to this role."),
            },
        )

    def _schedule_permissions(self, scheduler_role: iam.IRole, group: scheduler.CfnScheduleGroup) -> None:
        """The blueprint's check schedules, in this stage's schedule group only; they invoke the checks
        through `scheduler_role`."""
        schedules = Stack.of(self).format_arn(
            service="scheduler", resource="schedule", resource_name=f"{group.ref}/*"
        )
        self.cloudformation_role.add_to_policy(
            iam.PolicyStatement(actions=_SCHEDULE_ACTIONS, resources=[schedules])
        )
        allow_pass_role(self.cloudformation_role, scheduler_role.role_arn, "scheduler")
