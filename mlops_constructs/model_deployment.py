"""ModelDeployment: the per-type deployment pipelines, the stage roles and the functions they call."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from aws_cdk import Aspects
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_assets as s3_assets
from constructs import Construct

from mlops_config import Stage
from mlops_constructs.acknowledge import acknowledge, role_policy
from mlops_constructs.bucket_reads import LocalReads
from mlops_constructs.deployment_pipeline import DeploymentPipeline, PipelineStage, PipelineSteps
from mlops_constructs.drift_monitoring import DriftMonitoring
from mlops_constructs.key_via_services import PIPELINE_KEY_SERVICES, KeyUseThroughServices
from mlops_constructs.model_monitor_permissions import (
    grant_model_monitor_deployment,
    grant_model_monitor_jobs,
)
from mlops_constructs.model_registry import ModelRegistry
from mlops_constructs.quality_monitoring import QualityMonitoring
from mlops_constructs.sagemaker_role_policy import stage_network
from mlops_constructs.stage_host import StageHost
from mlops_constructs.stage_parameters import check_parameters
from mlops_constructs.stage_roles import StageRoles
from mlops_contract.blueprint_parameters import parameter_names
from mlops_contract.pipeline import ENDPOINT_TYPES, template_file_name
from mlops_manifest.inference import InferenceType


@dataclass(frozen=True)
class LocalChecks:
    """The tooling stack's own drift and quality checks, for the stages deployed beside it."""

    drift: DriftMonitoring
    quality: QualityMonitoring


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
        checks: LocalChecks | None,
        remote: Mapping[str, StageHost],
        pipeline_role_name: str | None = None,
        model_monitor: bool = False,
        image_accounts: Sequence[str] = (),
        artifact_stores: Mapping[str, s3.IBucket] | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self._artifact_stores = dict(artifact_stores or {})  # per other stage region (PipelineRegionStack)
        self._shared(registry, blueprints, pipeline_role_name)
        local = [stage for stage in stages if stage.name not in remote]
        self.stage_roles = self._local_roles(local, registry, checks, image_accounts)
        self.stage_roles |= {name: host.roles for name, host in remote.items()}
        if model_monitor:  # only blueprints synthesized with Model Monitor create its resources
            self._grant_model_monitor(registry, [self.stage_roles[stage.name] for stage in local])
        pipeline_stages = [
            self._remote_stage(stage, remote[stage.name], registry)
            if stage.name in remote
            else self._stage(stage, registry, checks)
            for stage in stages
        ]
        self.pipelines = {
            kind: self._pipeline(kind, pipeline_stages, variables[kind], steps, registry, model_monitor)
            for kind in ENDPOINT_TYPES
        }
        self._use_regional_keys()

    def _pipeline(
        self,
        kind: InferenceType,
        stages: list[PipelineStage],
        variables: Mapping[str, str],
        steps: PipelineSteps,
        registry: ModelRegistry,
        model_monitor: bool,
    ) -> DeploymentPipeline:
        """The pipeline of one endpoint type."""
        return DeploymentPipeline(
            self,
            f"{kind.value.capitalize()}Pipeline",
            template_file=template_file_name(kind),
            blueprints=self.blueprints,
            template_parameters=parameter_names(kind, model_monitor=model_monitor),
            variables=variables,
            stages=stages,
            artifact_bucket=self.artifact_bucket,
            pipeline_role=self.pipeline_role,
            steps=steps,
            topic=registry.notifications,
            artifact_stores=self._artifact_stores,
        )

    def _shared(self, registry: ModelRegistry, blueprints: Path, pipeline_role_name: str | None) -> None:
        """What every pipeline shares: the artifact bucket, the blueprint templates and the service role."""
        self.artifact_bucket = registry.pipeline_artifacts(self, "PipelineArtifacts")
        self.blueprints = s3_assets.Asset(self, "Blueprints", path=str(blueprints))
        # One service role for every deployment pipeline: the stage deploy roles trust it and nothing else.
        # The CodePipeline service-role documentation shows a plain service principal (no source conditions).
        # With stages in other accounts the role lives in a stack of its own, deployed before theirs.
        self.pipeline_role: iam.IRole = (
            iam.Role.from_role_name(self, "PipelineRole", pipeline_role_name)
            if pipeline_role_name
            else iam.Role(
                self,
                "PipelineRole",
                assumed_by=iam.ServicePrincipal("codepipeline.amazonaws.com"),
                description="Runs the deployment pipelines; the only principal the stage deploy roles trust",
            )
        )
        Aspects.of(self).add(KeyUseThroughServices(self.pipeline_role, PIPELINE_KEY_SERVICES))

    def _use_regional_keys(self) -> None:
        """CDK grants the pipelines' role the artifact key of each other stage region through its alias
        (kms:ResourceAliases on any key there; KeyUseThroughServices adds S3 of that region)."""
        for region in self._artifact_stores:
            finding = f"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:{region}:<AWS::AccountId>:key/*]"
            reason = f"The artifact key of {region}, named by its alias, through S3 there only."
            acknowledge(role_policy(self.pipeline_role), {finding: reason})

    def _local_roles(
        self,
        stages: list[Stage],
        registry: ModelRegistry,
        checks: LocalChecks | None,
        image_accounts: Sequence[str],
    ) -> dict[str, StageRoles]:
        """Roles of the stages deployed beside the tooling stack, which use its checks."""
        assert checks or not stages, "stages in the tooling account and region need the tooling checks"
        return {
            stage.name: self._stage_roles(stage, registry, checks.drift, image_accounts)
            for stage in stages
            if checks
        }

    def _stage_roles(
        self, stage: Stage, registry: ModelRegistry, drift: DriftMonitoring, image_accounts: Sequence[str]
    ) -> StageRoles:
        return StageRoles(
            self,
            f"{stage.name.capitalize()}Roles",
            stage=stage.name,
            network=stage_network(stage.subnet_ids, stage.security_group_ids),
            pipeline_role=self.pipeline_role,
            image_accounts=image_accounts,
            registry=registry.registry_reads,
            capture_bucket=registry.data_capture_bucket,
            artifacts=LocalReads(self.artifact_bucket, registry.encryption_key),
            encryption_key=registry.encryption_key,
            scheduler_role=drift.scheduler_role,
            schedule_group=drift.schedule_groups[stage.name],
        )

    def _grant_model_monitor(self, registry: ModelRegistry, stage_roles: list[StageRoles]) -> None:
        """Every stage may deploy the Model Monitor schedule, and its SageMaker role may run the jobs."""
        for roles in stage_roles:
            grant_model_monitor_deployment(roles.cloudformation_role, roles.sagemaker_role)
            grant_model_monitor_jobs(
                roles.sagemaker_role,
                registry=registry.registry_reads,
                capture=registry.data_capture_bucket,
                reports=registry.reports_bucket,
                key=registry.encryption_key,
            )

    def _stage(self, stage: Stage, registry: ModelRegistry, checks: LocalChecks | None) -> PipelineStage:
        assert checks is not None
        fixed = check_parameters(
            stage=stage.name,
            data=registry,
            key_arn=registry.encryption_key.key_arn,
            drift=checks.drift,
            quality=checks.quality,
            schedule_group=checks.drift.schedule_groups[stage.name].ref,
        )
        return PipelineStage(
            name=stage.name,
            roles=self.stage_roles[stage.name],
            approval_required=stage.approval_required,
            production=stage.production,
            parameters=fixed | _from_config(stage, registry),
        )

    def _remote_stage(self, stage: Stage, host: StageHost, registry: ModelRegistry) -> PipelineStage:
        """A stage in another account or region: its target stack fixes the parameters, its roles deploy
        and its own smoke test runs there."""
        return PipelineStage(
            name=stage.name,
            roles=host.roles,
            approval_required=stage.approval_required,
            production=stage.production,
            parameters={**host.parameters, **_from_config(stage, registry)},
            remote=host,
        )


def _from_config(stage: Stage, registry: ModelRegistry) -> dict[str, str]:
    """Blueprint parameters from the stage's config and the registry, wherever the stage runs."""
    return {
        "BaselineBucketName": registry.registry_bucket.bucket_name,
        "SubnetIds": ",".join(stage.subnet_ids),
        "SecurityGroupIds": ",".join(stage.security_group_ids),
    }
