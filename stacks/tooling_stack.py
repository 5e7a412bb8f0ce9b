"""ToolingStack: everything the tooling account runs — registry, registration, deployment, drift checks."""

from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path
from typing import Any

from aws_cdk import CfnOutput, PhysicalName, Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from constructs import Construct

from lambdas.common.pipeline_variables import DEFAULTS
from mlops_config import OrchestratorConfig, Stage
from mlops_config.targets import VERSION_OUTPUT, local_stages, remote_targets
from mlops_constructs.batch_transform_workflow import BatchTransformWorkflow
from mlops_constructs.bucket_reads import model_roles_pattern
from mlops_constructs.dependencies_layer import arrow_dependencies, shared_dependencies
from mlops_constructs.deployment_functions import DeploymentFunctions
from mlops_constructs.deployment_triggers import DeploymentTriggers
from mlops_constructs.drift_monitoring import DriftMonitoring
from mlops_constructs.git_provisioning import GitProvisioning
from mlops_constructs.image_builder import ImageBuilder
from mlops_constructs.model_deployment import LocalChecks, ModelDeployment
from mlops_constructs.model_registry import ModelRegistry
from mlops_constructs.model_role import PULL_ACTIONS
from mlops_constructs.orchestrator_core import OrchestratorCore
from mlops_constructs.package_adoption import PackageAdoption
from mlops_constructs.provisioning_api import ProvisioningApi
from mlops_constructs.provisioning_api_function import ApiTargets
from mlops_constructs.quality_monitoring import QualityMonitoring
from mlops_constructs.registry_approval import RegistryApproval
from mlops_constructs.remote_stage_access import RemoteStageAccess
from mlops_constructs.stage_host import StageHost
from mlops_constructs.upload_registration import UploadRegistration
from mlops_constructs.upload_trail import UploadTrail
from mlops_contract.pipeline import pipeline_stage_name
from stacks.batch_placement import production_batch
from stacks.training_specs import training_pipelines

_MIB = 1024 * 1024


class ToolingStack(Stack):
    """One stack per tooling account, so IAM scoping and compliance findings never cross stack exports."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: OrchestratorConfig,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, termination_protection=config.termination_protection, **kwargs)
        registry = self.registry = ModelRegistry(
            self,
            "Registry",
            project_name=config.project_name,
            registry=config.registry,
            notifications=config.notifications,
        )
        bus = self.event_bus = self._event_bus(config)
        self.core = core = OrchestratorCore(
            registry, bus, shared_dependencies(self), arrow_dependencies(self)
        )
        self._delivery(registry, config)
        self._registration(core, config)
        self._checks(core, [stage.name for stage in local_stages(config)])
        self.training = training_pipelines(self, core, config)
        self.adoption = self._adoption(core, config)

    def _event_bus(self, config: OrchestratorConfig) -> events.EventBus:
        """The lifecycle bus; named only when a stage account forwards to it."""
        return events.EventBus(
            self,
            "Events",
            event_bus_name=PhysicalName.GENERATE_IF_NEEDED if remote_targets(config) else None,
            description="MLOps Orchestrator lifecycle events",
        )

    def _adoption(self, core: OrchestratorCore, config: OrchestratorConfig) -> PackageAdoption | None:
        """Adoption of packages other pipelines register, when configured."""
        if config.adoption is None:
            return None
        limit = config.registry.max_artifact_mib * _MIB
        return PackageAdoption(
            self, "Adoption", core=core, adoption=config.adoption, max_artifact_bytes=limit
        )

    def _delivery(self, registry: ModelRegistry, config: OrchestratorConfig) -> None:
        """The custom image builder and Git-driven provisioning, each only when configured."""
        builder = config.image_builder
        self.image_builder = (
            ImageBuilder(self, "ImageBuilder", settings=builder, registry=registry)
            if builder and builder.enabled
            else None
        )
        # The builder's repository is in this account: its images are allowed as image_uri automatically.
        own = (self.account,) if self.image_builder else ()
        self.image_accounts = tuple(dict.fromkeys((*config.registry.image_accounts, *own)))
        self.git = (
            GitProvisioning(
                self, "GitProvisioning", git=config.git, registry=registry, image_accounts=self.image_accounts
            )
            if config.git
            else None
        )

    def _checks(self, core: OrchestratorCore, stages: list[str]) -> None:
        """Drift and quality checks of the stages deployed in this account and region, if any."""
        self.drift: DriftMonitoring | None = None
        self.quality: QualityMonitoring | None = None
        if stages:
            self.drift = DriftMonitoring(self, "Drift", core=core.checks(), stages=stages)
            self.quality = QualityMonitoring(
                self, "Quality", core=core.checks(), scheduler_role=self.drift.scheduler_role
            )

    def add_deployment(
        self,
        *,
        config: OrchestratorConfig,
        blueprints: Path,
        remote: Mapping[str, StageHost],
        pipeline_role_name: str | None = None,
        artifact_stores: Mapping[str, s3.IBucket] | None = None,
    ) -> None:
        """The pipelines, batch workflow and triggers, once the remote stages' target stacks (and the
        pipelines' artifact stores in other stage regions) exist."""
        self._artifact_stores = artifact_stores
        self._deployment(self.core, config, blueprints, remote, pipeline_role_name)
        self._pull_built_images(remote)
        if remote:
            RemoteStageAccess(
                self,
                "RemoteStages",
                core=self.core,
                hosts=remote,
                rollbacks=self.triggers.events,
                artifacts=self.deployment.artifact_bucket,
            )
        self._outputs()

    def _registration(self, core: OrchestratorCore, config: OrchestratorConfig) -> None:
        """The register function, and the trail that records who uploaded what."""
        registry = core.registry
        self.registration = UploadRegistration(
            self,
            "Registration",
            core=core,
            max_artifact_bytes=config.registry.max_artifact_mib * _MIB,
            image_accounts=self.image_accounts,
        )
        UploadTrail(
            self,
            "UploadTrail",
            registry_bucket=registry.registry_bucket,
            access_logs=registry.access_logs,
            encryption_key=registry.encryption_key,
            recorder=self.registration.register,
        )

    def _deployment(
        self,
        core: OrchestratorCore,
        config: OrchestratorConfig,
        blueprints: Path,
        remote: Mapping[str, StageHost],
        pipeline_role_name: str | None,
    ) -> None:
        """The pipelines per inference type, the batch workflow, and what starts and approves them."""
        local_smoke_test = len(remote) < len(config.stages)
        steps = DeploymentFunctions(self, "DeploymentFunctions", core=core, local_smoke_test=local_smoke_test)
        self.deployment = ModelDeployment(
            self,
            "Deployment",
            stages=config.stages,
            registry=core.registry,
            blueprints=blueprints,
            variables=DEFAULTS,
            steps=steps.pipeline_steps,
            checks=LocalChecks(self.drift, self.quality) if self.drift and self.quality else None,
            remote=remote,
            pipeline_role_name=pipeline_role_name,
            model_monitor=config.monitoring.sagemaker_model_monitor,
            image_accounts=config.registry.image_accounts,
            artifact_stores=self._artifact_stores,
        )
        production = next(stage for stage in config.stages if stage.production)
        self._batch_and_triggers(core, config, remote, steps.resolve.function)
        self._api(core, config, production)

    def _pull_built_images(self, remote: Mapping[str, StageHost]) -> None:
        """Endpoints of every stage pull the image builder's images: in this account through the stage
        boundary (the per-model roles' own policies allow their image's account), and the stage SageMaker
        roles through their policies; in stage accounts through the repository policy, which names the
        stage accounts narrowed to each stage's per-model role path (those roles do not exist yet)."""
        if not self.image_builder:
            return
        repository = self.image_builder.repository
        for name, roles in self.deployment.stage_roles.items():
            if name not in remote:
                repository.grant_pull(roles.sagemaker_role)
                roles.model_role_boundary.add_statements(
                    iam.PolicyStatement(actions=list(PULL_ACTIONS), resources=[repository.repository_arn])
                )
        # ECR images are not replicated: endpoints in other regions cannot pull them (the copy step refuses
        # custom images for those stages), so only the stage accounts of this region are named.
        here = [host for host in remote.values() if host.region == self.region]
        accounts = sorted({host.account for host in here})
        if accounts:
            patterns = sorted({model_roles_pattern(self, h.account, h.roles.stage) for h in here})
            repository.add_to_resource_policy(
                iam.PolicyStatement(
                    sid="StageEndpointsPull",
                    principals=[iam.AccountPrincipal(account) for account in accounts],
                    actions=list(PULL_ACTIONS),
                    conditions={"ArnLike": {"aws:PrincipalArn": patterns}},
                )
            )

    def _api(self, core: OrchestratorCore, config: OrchestratorConfig, production: Stage) -> None:
        """The provisioning API: validate, upload, status, approve or reject, roll back."""
        self.api = ProvisioningApi(
            self,
            "ProvisioningApi",
            core=core,
            targets=ApiTargets(
                pipelines={kind: d.pipeline for kind, d in self.deployment.pipelines.items()},
                stages=tuple(stage.name for stage in config.stages),
                approval_stage=pipeline_stage_name(production.name),
                max_artifact_bytes=config.registry.max_artifact_mib * _MIB,
                image_accounts=self.image_accounts,
                remote_accounts={
                    s.name: s.account for s in config.stages if s not in local_stages(config) and s.account
                },
            ),
        )

    def _batch_and_triggers(
        self,
        core: OrchestratorCore,
        config: OrchestratorConfig,
        remote: Mapping[str, StageHost],
        package_check: lambda_.IFunction,
    ) -> None:
        """Batch transform beside production's data (here, or in production's target stack);
        registrations, failures and approvals trigger."""
        production = next(stage for stage in config.stages if stage.production)
        self.batch: BatchTransformWorkflow | None = production_batch(
            self, core, config, remote.get(production.name), package_check
        )
        pipelines = {kind: deployment.pipeline for kind, deployment in self.deployment.pipelines.items()}
        self.triggers = DeploymentTriggers(
            self,
            "DeploymentTriggers",
            core=core,
            pipelines=pipelines,
            batch_workflow=self.batch.state_machine if self.batch else None,
        )
        if production.approve_in_registry:
            stage = pipeline_stage_name(production.name)
            RegistryApproval(self, "RegistryApproval", core=core, stage_name=stage, pipelines=pipelines)

    def _outputs(self) -> None:
        registry = self.registry
        CfnOutput(self, VERSION_OUTPUT, value=version("mlops-orchestrator"))
        CfnOutput(self, "RegistryBucketName", value=registry.registry_bucket.bucket_name)
        CfnOutput(self, "DataCaptureBucketName", value=registry.data_capture_bucket.bucket_name)
        CfnOutput(self, "ReportsBucketName", value=registry.reports_bucket.bucket_name)
        CfnOutput(self, "NotificationTopicArn", value=registry.notifications.topic_arn)
        CfnOutput(self, "DataKeyArn", value=registry.encryption_key.key_arn)
        CfnOutput(self, "EventBusName", value=self.event_bus.event_bus_name)
        CfnOutput(self, "RegisterFunctionName", value=self.registration.register.function.function_name)
        if self.image_builder:
            CfnOutput(self, "ImageRepositoryUri", value=self.image_builder.repository.repository_uri)
        if self.batch:
            CfnOutput(self, "BatchTransformStateMachineArn", value=self.batch.state_machine.state_machine_arn)
        for kind, deployment in self.deployment.pipelines.items():
            CfnOutput(self, f"{kind.value.capitalize()}PipelineName", value=deployment.pipeline.pipeline_name)
