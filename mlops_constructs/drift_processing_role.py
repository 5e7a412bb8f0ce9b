"""DriftProcessingRole: the role of the SageMaker Processing jobs that profile large capture volumes."""

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from constructs import Construct

from mlops_constructs.acknowledge import acknowledge, iam5_arn, iam5_resource, in_regulatory_packs
from mlops_constructs.data_home import DataHome
from mlops_constructs.model_registry import CAPTURE_PREFIX
from mlops_constructs.service_trust import grant_key_via, grant_sagemaker_logs, sagemaker_principal


class DriftProcessingRole(Construct):
    """Reads its shard of captured data and the staged inputs; writes partial profiles; nothing else."""

    def __init__(self, scope: Construct, construct_id: str, *, registry: DataHome) -> None:
        super().__init__(scope, construct_id)
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=sagemaker_principal(self, resource="processing-job/*"),
            description="Runs the drift engine over shards of captured data as a SageMaker Processing job",
        )
        self._data_access(registry)
        self._job_runtime()
        self._acknowledge(registry)

    def _data_access(self, registry: DataHome) -> None:
        role, reports, capture = self.role, registry.reports_bucket, registry.data_capture_bucket
        role.add_to_policy(
            iam.PolicyStatement(
                actions=["s3:GetObject"],
                resources=[
                    reports.arn_for_objects("processing/*"),
                    capture.arn_for_objects(f"{CAPTURE_PREFIX}/*"),
                ],
            )
        )
        role.add_to_policy(
            iam.PolicyStatement(actions=["s3:ListBucket"], resources=[reports.bucket_arn, capture.bucket_arn])
        )
        role.add_to_policy(
            iam.PolicyStatement(actions=["s3:PutObject"], resources=[reports.arn_for_objects("processing/*")])
        )
        grant_key_via(role, registry.encryption_key, ["s3"], "kms:Decrypt", "kms:GenerateDataKey")

    def _job_runtime(self) -> None:
        """Logs and the AWS image, which every Processing job needs."""
        role = self.role
        grant_sagemaker_logs(role, "/aws/sagemaker/ProcessingJobs*", streams=True)
        role.add_to_policy(
            iam.PolicyStatement(
                actions=["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                resources=[
                    Stack.of(self).format_arn(
                        service="ecr",
                        account="*",
                        resource="repository",
                        resource_name="sagemaker-scikit-learn",
                    )
                ],
            )
        )
        role.add_to_policy(iam.PolicyStatement(actions=["ecr:GetAuthorizationToken"], resources=["*"]))

    def _acknowledge(self, registry: DataHome) -> None:
        role, reports, capture = self.role, registry.reports_bucket, registry.data_capture_bucket
        acknowledge(
            role.node.find_child("DefaultPolicy"),
            {
                iam5_resource(
                    reports, "/processing/*"
                ): "Reads its inputs and writes partial profiles under processing/.",
                iam5_resource(capture, f"/{CAPTURE_PREFIX}/*"): "Reads the capture files it was given.",
                iam5_arn(
                    "logs", "log-group:/aws/sagemaker/ProcessingJobs*"
                ): "SageMaker names the job log groups.",
                iam5_arn(
                    "logs", "log-group:/aws/sagemaker/ProcessingJobs*:*"
                ): "SageMaker names the job log streams.",
                iam5_arn(
                    "ecr", "repository/sagemaker-scikit-learn", account="*"
                ): "AWS image account varies by region.",
                "AwsSolutions-IAM5[Resource::*]": "GetAuthorizationToken has no resource.",
                **in_regulatory_packs("IAMNoInlinePolicy", "Policy bound one-to-one to this role."),
            },
        )
