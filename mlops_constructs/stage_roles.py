"""StageRoles: the roles one deployment stage needs — CloudFormation execution and SageMaker execution."""

from aws_cdk import ArnFormat, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from lambdas.smoke_test.settings import ASYNC_INPUT_PREFIX
from mlops_constructs.acknowledge import acknowledge, iam5_arn, iam5_resource, in_regulatory_packs
from mlops_contract.pipeline import ENDPOINT_STACK_PREFIX

_SAGEMAKER_KINDS = ("model", "endpoint-config", "endpoint")
_ENDPOINT_ACTIONS = [
    "sagemaker:CreateModel",
    "sagemaker:DescribeModel",
    "sagemaker:DeleteModel",
    "sagemaker:CreateEndpointConfig",
    "sagemaker:DescribeEndpointConfig",
    "sagemaker:DeleteEndpointConfig",
    "sagemaker:CreateEndpoint",
    "sagemaker:UpdateEndpoint",
    "sagemaker:DescribeEndpoint",
    "sagemaker:DeleteEndpoint",
    "sagemaker:AddTags",
    "sagemaker:DeleteTags",
    "sagemaker:ListTags",
]
_ALARM_ACTIONS = [
    "cloudwatch:PutMetricAlarm",
    "cloudwatch:DeleteAlarms",
    "cloudwatch:DescribeAlarms",
    "cloudwatch:TagResource",
    "cloudwatch:UntagResource",
]
# Writes are scoped to scalable targets (RegisterScalableTarget returns a scalable-target ARN); the
# Describe* calls have no resource type in the Service Authorization Reference.
_SCALING_WRITES = [
    "application-autoscaling:RegisterScalableTarget",
    "application-autoscaling:DeregisterScalableTarget",
    "application-autoscaling:PutScalingPolicy",
    "application-autoscaling:DeleteScalingPolicy",
    "application-autoscaling:TagResource",
]
_SCALING_READS = [
    "application-autoscaling:DescribeScalableTargets",
    "application-autoscaling:DescribeScalingPolicies",
]
_SCALING_SLR = (
    "aws-service-role/sagemaker.application-autoscaling.amazonaws.com/"
    "AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint"
)
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
_SCHEDULE_ACTIONS = [
    "scheduler:CreateSchedule",
    "scheduler:UpdateSchedule",
    "scheduler:DeleteSchedule",
    "scheduler:GetSchedule",
    "scheduler:TagResource",
]
_PER_MODEL = (
    "Endpoints, configs and models are created per registered model; names are known only at run time."
)
_NO_RESOURCE_LEVEL = "These actions support no resource-level permissions (ECR auth, Auto Scaling, metrics)."


def _allow_pass_role(role: iam.IRole, passed_role_arn: str, service: str) -> None:
    """Let `role` pass one role, and only to one AWS service."""
    condition = {"StringEquals": {"iam:PassedToService": f"{service}.amazonaws.com"}}
    role.add_to_principal_policy(
        iam.PolicyStatement(actions=["iam:PassRole"], resources=[passed_role_arn], conditions=condition)
    )


class StageRoles(Construct):
    """Deploy, CloudFormation execution (only what the blueprint creates) and endpoint SageMaker roles."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: str,
        registry_bucket: s3.IBucket,
        capture_bucket: s3.IBucket,
        artifact_bucket: s3.IBucket,
        encryption_key: kms.IKey,
        scheduler_role: iam.IRole,
    ) -> None:
        super().__init__(scope, construct_id)
        self.stage = stage
        self.sagemaker_role = iam.Role(
            self,
            "SageMakerExecution",
            assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com"),
            description=f"Serves models on {stage} endpoints: reads artifacts, writes captured data",
        )
        self.cloudformation_role = iam.Role(
            self,
            "CloudFormationExecution",
            assumed_by=iam.ServicePrincipal("cloudformation.amazonaws.com"),
            description=f"Creates only what the endpoint blueprint declares, for {stage} endpoints",
        )
        self.deploy_role = iam.Role(
            self,
            "Deploy",
            assumed_by=iam.AccountRootPrincipal(),
            description=f"Assumed by the deployment pipelines to run CloudFormation for {stage} endpoints",
        )
        self._sagemaker_permissions(registry_bucket, capture_bucket, encryption_key)
        self._cloudformation_permissions(encryption_key)
        self._schedule_permissions(scheduler_role)
        self._deploy_permissions(artifact_bucket, encryption_key)

    def _sagemaker_permissions(self, registry: s3.IBucket, capture: s3.IBucket, key: kms.IKey) -> None:
        role, arn = self.sagemaker_role, Stack.of(self).format_arn
        # Artifacts; and asynchronous endpoints' requests (e.g. the smoke test's) in the capture bucket.
        reads = [registry.arn_for_objects("models/*"), capture.arn_for_objects(f"{ASYNC_INPUT_PREFIX}*")]
        role.add_to_policy(iam.PolicyStatement(actions=["s3:GetObject"], resources=reads))
        role.add_to_policy(
            iam.PolicyStatement(actions=["s3:PutObject"], resources=[capture.arn_for_objects("*")])
        )
        key.grant(role, "kms:Decrypt", "kms:GenerateDataKey")
        role.add_to_policy(
            iam.PolicyStatement(
                actions=[
                    "ecr:BatchCheckLayerAvailability",
                    "ecr:GetDownloadUrlForLayer",
                    "ecr:BatchGetImage",
                ],
                resources=[arn(service="ecr", account="*", resource="repository", resource_name="*")],
            )
        )
        role.add_to_policy(
            iam.PolicyStatement(
                actions=[
                    "logs:CreateLogGroup",
                    "logs:CreateLogStream",
                    "logs:PutLogEvents",
                    "logs:DescribeLogStreams",
                ],
                resources=[
                    arn(
                        service="logs",
                        resource="log-group",
                        resource_name="/aws/sagemaker/*",
                        arn_format=ArnFormat.COLON_RESOURCE_NAME,
                    )
                ],
            )
        )
        role.add_to_policy(
            iam.PolicyStatement(
                actions=["ecr:GetAuthorizationToken", "cloudwatch:PutMetricData"], resources=["*"]
            )
        )
        self._acknowledge_sagemaker(registry, capture)

    def _acknowledge_sagemaker(self, registry: s3.IBucket, capture: s3.IBucket) -> None:
        acknowledge(
            self.sagemaker_role.node.find_child("DefaultPolicy"),
            {
                iam5_resource(registry, "/models/*"): "Serves any registered model version under models/.",
                iam5_resource(
                    capture, "/*"
                ): "Data capture writes <endpoint>/<variant>/yyyy/mm/dd/hh/ objects.",
                iam5_resource(
                    capture, f"/{ASYNC_INPUT_PREFIX}*"
                ): "Async endpoints read their requests here.",
                iam5_arn(
                    "ecr", "repository/*", account="*"
                ): "Framework images live in AWS-owned ECR accounts.",
                iam5_arn(
                    "logs", "log-group:/aws/sagemaker/*"
                ): "SageMaker names its endpoint log groups itself.",
                "AwsSolutions-IAM5[Resource::*]": _NO_RESOURCE_LEVEL,
                **in_regulatory_packs("IAMNoInlinePolicy", "Policy bound one-to-one to this role."),
            },
        )

    def _cloudformation_permissions(self, key: kms.IKey) -> None:
        role, arn = self.cloudformation_role, Stack.of(self).format_arn
        role.add_to_policy(
            iam.PolicyStatement(
                actions=_ENDPOINT_ACTIONS,
                resources=[
                    arn(service="sagemaker", resource=kind, resource_name="*") for kind in _SAGEMAKER_KINDS
                ],
            )
        )
        role.add_to_policy(
            iam.PolicyStatement(
                actions=_ALARM_ACTIONS,
                resources=[
                    arn(
                        service="cloudwatch",
                        resource="alarm",
                        resource_name=f"{ENDPOINT_STACK_PREFIX}*",
                        arn_format=ArnFormat.COLON_RESOURCE_NAME,
                    )
                ],
            )
        )
        role.add_to_policy(
            iam.PolicyStatement(
                actions=_SCALING_WRITES,
                resources=[
                    arn(
                        service="application-autoscaling",
                        resource="scalable-target",
                        resource_name="*",
                        arn_format=ArnFormat.SLASH_RESOURCE_NAME,
                    )
                ],
            )
        )
        role.add_to_policy(iam.PolicyStatement(actions=_SCALING_READS, resources=["*"]))
        _allow_pass_role(role, self.sagemaker_role.role_arn, "sagemaker")
        role.add_to_policy(
            iam.PolicyStatement(
                actions=["iam:CreateServiceLinkedRole"],
                resources=[arn(service="iam", region="", resource="role", resource_name=_SCALING_SLR)],
                conditions={
                    "StringLike": {"iam:AWSServiceName": "sagemaker.application-autoscaling.amazonaws.com"}
                },
            )
        )
        key.grant(role, "kms:CreateGrant", "kms:DescribeKey")
        acknowledge(
            role.node.find_child("DefaultPolicy"),
            {
                **{iam5_arn("sagemaker", f"{kind}/*"): _PER_MODEL for kind in _SAGEMAKER_KINDS},
                iam5_arn(
                    "cloudwatch", f"alarm:{ENDPOINT_STACK_PREFIX}*"
                ): "Alarms are named after the endpoint stack.",
                iam5_arn(
                    "application-autoscaling", "scalable-target/*"
                ): "Scalable targets get generated IDs.",
                iam5_arn("scheduler", "schedule/default/*"): "One drift schedule per endpoint stack.",
                "AwsSolutions-IAM5[Resource::*]": _NO_RESOURCE_LEVEL,
                **in_regulatory_packs("IAMNoInlinePolicy", "Policy bound one-to-one to this role."),
            },
        )

    def _schedule_permissions(self, scheduler_role: iam.IRole) -> None:
        """The blueprint's drift-check schedule, which invokes the drift check through `scheduler_role`."""
        schedules = Stack.of(self).format_arn(
            service="scheduler", resource="schedule", resource_name="default/*"
        )
        self.cloudformation_role.add_to_policy(
            iam.PolicyStatement(actions=_SCHEDULE_ACTIONS, resources=[schedules])
        )
        _allow_pass_role(self.cloudformation_role, scheduler_role.role_arn, "scheduler")

    def _deploy_permissions(self, artifacts: s3.IBucket, key: kms.IKey) -> None:
        role, arn = self.deploy_role, Stack.of(self).format_arn
        stacks = arn(service="cloudformation", resource="stack", resource_name=f"{ENDPOINT_STACK_PREFIX}*/*")
        role.add_to_policy(iam.PolicyStatement(actions=_STACK_ACTIONS, resources=[stacks]))
        _allow_pass_role(role, self.cloudformation_role.role_arn, "cloudformation")
        role.add_to_policy(
            iam.PolicyStatement(
                actions=["s3:GetObject", "s3:GetObjectVersion"], resources=[artifacts.arn_for_objects("*")]
            )
        )
        key.grant(role, "kms:Decrypt")
        acknowledge(
            role.node.find_child("DefaultPolicy"),
            {
                iam5_arn(
                    "cloudformation", f"stack/{ENDPOINT_STACK_PREFIX}*/*"
                ): "One endpoint stack per registered model; names are known at run time.",
                iam5_resource(artifacts, "/*"): "Reads the blueprint templates of any pipeline execution.",
                **in_regulatory_packs("IAMNoInlinePolicy", "Policy bound one-to-one to this role."),
            },
        )
