"""ModelDeployment: the per-type deployment pipelines, the stage roles and the functions they call."""

from collections.abc import Mapping, Sequence
from pathlib import Path

from aws_cdk import Aspects, Duration
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3_assets as s3_assets
from constructs import Construct

from mlops_config import Stage
from mlops_constructs.deployment_pipeline import DeploymentPipeline, PipelineStage, PipelineSteps, variable
from mlops_constructs.drift_monitoring import DriftMonitoring
from mlops_constructs.hardened_bucket import HardenedBucket
from mlops_constructs.key_via_services import PIPELINE_KEY_SERVICES, KeyUseThroughServices
from mlops_constructs.model_monitor_permissions import (
    grant_model_monitor_deployment,
    grant_model_monitor_jobs,
)
from mlops_constructs.model_registry import ASYNC_OUTPUT_PREFIX, CAPTURE_PREFIX, ModelRegistry
from mlops_constructs.quality_monitoring import QualityMonitoring
from mlops_constructs.stage_roles import StageRoles
from mlops_contract.blueprint_parameters import parameter_names
from mlops_contract.pipeline import ENDPOINT_TYPES, template_file_name
from mlops_manifest.inference import InferenceType


class ModelDeployment(Construct):
    """One pipeline per endpoint type, sharing stage roles, the blueprint templates and an artifact bucket."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stages: Sequence[Stage],
        registry: ModelRegistry,
        blueprints: Path,
        variables: Mapping[InferenceType, Mapping[str, str]],
        steps: PipelineSteps,
        drift: DriftMonitoring,
        quality: QualityMonitoring,
        model_monitor: bool = False,
        image_accounts: Sequence[str] = (),
    ) -> None:
        super().__init__(scope, construct_id)
        self._shared(registry, blueprints)
        self.stage_roles = {
            stage.name: self._stage_roles(stage.name, registry, drift, image_accounts) for stage in stages
        }
        if model_monitor:  # only blueprints synthesized with Model Monitor create its resources
            self._grant_model_monitor(registry)
        pipeline_stages = [self._stage(stage, registry, drift, quality) for stage in stages]
        self.pipelines = {
            kind: DeploymentPipeline(
                self,
                f"{kind.value.capitalize()}Pipeline",
                template_file=template_file_name(kind),
                blueprints=self.blueprints,
                template_parameters=parameter_names(kind, model_monitor=model_monitor),
                variables=variables[kind],
                stages=pipeline_stages,
                artifact_bucket=self.artifact_bucket,
                pipeline_role=self.pipeline_role,
                steps=steps,
                topic=registry.notifications,
            )
            for kind in ENDPOINT_TYPES
        }

    def _shared(self, registry: ModelRegistry, blueprints: Path) -> None:
        """What every pipeline shares: the artifact bucket, the blueprint templates and the service role."""
        self.artifact_bucket = HardenedBucket(
            self,
            "PipelineArtifacts",
            encryption_key=registry.encryption_key,
            access_logs=registry.access_logs,
            noncurrent_version_retention=Duration.days(30),
        ).bucket
        self.blueprints = s3_assets.Asset(self, "Blueprints", path=str(blueprints))
        # One service role for every deployment pipeline: the stage deploy roles trust it and nothing else.
        # The CodePipeline service-role documentation shows a plain service principal (no source conditions).
        self.pipeline_role = iam.Role(
            self,
            "PipelineRole",
            assumed_by=iam.ServicePrincipal("codepipeline.amazonaws.com"),
            description="Runs the deployment pipelines; the only principal the stage deploy roles trust",
        )
        Aspects.of(self).add(KeyUseThroughServices(self.pipeline_role, PIPELINE_KEY_SERVICES))

    def _stage_roles(
        self, stage: str, registry: ModelRegistry, drift: DriftMonitoring, image_accounts: Sequence[str]
    ) -> StageRoles:
        return StageRoles(
            self,
            f"{stage.capitalize()}Roles",
            stage=stage,
            pipeline_role=self.pipeline_role,
            image_accounts=image_accounts,
            registry_bucket=registry.registry_bucket,
            capture_bucket=registry.data_capture_bucket,
            artifact_bucket=self.artifact_bucket,
            encryption_key=registry.encryption_key,
            scheduler_role=drift.scheduler_role,
            schedule_group=drift.schedule_groups[stage],
        )

    def _grant_model_monitor(self, registry: ModelRegistry) -> None:
        """Every stage may deploy the Model Monitor schedule, and its SageMaker role may run the jobs."""
        for roles in self.stage_roles.values():
            grant_model_monitor_deployment(roles.cloudformation_role)
            grant_model_monitor_jobs(
                roles.sagemaker_role,
                registry=registry.registry_bucket,
                capture=registry.data_capture_bucket,
                reports=registry.reports_bucket,
                key=registry.encryption_key,
            )

    def _stage(
        self, stage: Stage, registry: ModelRegistry, drift: DriftMonitoring, quality: QualityMonitoring
    ) -> PipelineStage:
        capture = registry.data_capture_bucket.bucket_name
        fixed = {
            "NotificationTopicArn": registry.notifications.topic_arn,
            "KmsKeyArn": registry.encryption_key.key_arn,
            "DataCaptureS3Uri": f"s3://{capture}/{CAPTURE_PREFIX}",
            "BaselineBucketName": registry.registry_bucket.bucket_name,
            "DriftCheckFunctionArn": drift.check.function.function_arn,
            "DriftSchedulerRoleArn": drift.scheduler_role.role_arn,
            "ScheduleGroupName": drift.schedule_groups[stage.name].ref,
            "QualityCheckFunctionArn": quality.check.function.function_arn,
            "ReportsBucketName": registry.reports_bucket.bucket_name,  # Model Monitor reports
            "AsyncOutputS3Uri": f"s3://{capture}/{ASYNC_OUTPUT_PREFIX}{stage.name}/{variable('ModelName')}",
            "SubnetIds": ",".join(stage.subnet_ids),
            "SecurityGroupIds": ",".join(stage.security_group_ids),
        }
        return PipelineStage(
            name=stage.name,
            roles=self.stage_roles[stage.name],
            approval_required=stage.approval_required,
            production=stage.production,
            parameters=fixed,
        )
