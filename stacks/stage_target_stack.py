"""StageTargetStack: what one stage account and region runs for the stages placed there."""

from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

from aws_cdk import CfnOutput, Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from mlops_config import OrchestratorConfig, Stage
from mlops_config.targets import COPY_ROLE_OUTPUT, FORWARDING_ROLE_OUTPUT, VERSION_OUTPUT, stage_output
from mlops_constructs.acknowledge import acknowledge, iam5_resource
from mlops_constructs.batch_role import BatchRole
from mlops_constructs.batch_transform_workflow import BatchTransformWorkflow
from mlops_constructs.bucket_reads import ToolingReads
from mlops_constructs.data_home import CheckCore
from mlops_constructs.dependencies_layer import arrow_dependencies, shared_dependencies
from mlops_constructs.drift_monitoring import DriftMonitoring
from mlops_constructs.event_forwarding import EventForwarding
from mlops_constructs.model_monitor_permissions import (
    grant_model_monitor_deployment,
    grant_model_monitor_jobs,
)
from mlops_constructs.quality_monitoring import QualityMonitoring
from mlops_constructs.regional_artifacts import RegionalArtifacts
from mlops_constructs.report_reader import ReportReader
from mlops_constructs.sagemaker_role_policy import stage_network
from mlops_constructs.smoke_test_function import smoke_test_function
from mlops_constructs.stage_data import StageData
from mlops_constructs.stage_host import StageHost
from mlops_constructs.stage_parameters import check_parameters
from mlops_constructs.stage_roles import StageRoles
from mlops_contract.pipeline import ENDPOINT_STACK_PREFIX


@dataclass(frozen=True)
class ToolingLinks:
    """What a stage account needs to know of the tooling account: where it is, whom to trust, where to
    forward events."""

    account: str
    region: str
    pipeline_role: iam.IRole
    event_bus: events.IEventBus


class StageTargetStack(Stack):
    """Stage roles, captured data, the drift and quality checks and event forwarding of one placement."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: OrchestratorConfig,
        stages: Sequence[Stage],
        tooling: ToolingLinks,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, termination_protection=config.termination_protection, **kwargs)
        self.registry_reads = ToolingReads(tooling.account, tooling.region)
        # The pipelines' artifacts of this region: the tooling artifact store, or in another region the
        # pipelines' store there (PipelineRegionStack).
        self.artifact_reads = ToolingReads(tooling.account, self.region)
        core = self._data_and_checks(config, stages)
        self.regional = (
            RegionalArtifacts(
                self, "RegionalArtifacts", data=self.data, core=core, tooling_region=tooling.region
            )
            if self.region != tooling.region
            else None
        )
        self.stage_roles = {stage.name: self._roles(stage, tooling, config) for stage in stages}
        if config.monitoring.sagemaker_model_monitor:
            self._model_monitor()
        self._reach_people(config, stages, tooling)
        self._outputs()

    def _data_and_checks(self, config: OrchestratorConfig, stages: Sequence[Stage]) -> CheckCore:
        """This account's data key, buckets and topic, and the drift and quality checks that use them."""
        self.data = StageData(
            self,
            "Data",
            project_name=config.project_name,
            registry=config.registry,
            tooling=self.registry_reads,
        )
        self.default_bus = self._default_bus()
        core = CheckCore(self.data, self.default_bus, shared_dependencies(self), arrow_dependencies(self))
        self._checks(core, config, stages)
        return core

    def _reach_people(
        self, config: OrchestratorConfig, stages: Sequence[Stage], tooling: ToolingLinks
    ) -> None:
        """Lifecycle events forwarded to the tooling bus; reports readable by the configured readers."""
        self.forwarding = EventForwarding(
            self,
            "Forwarding",
            tooling_bus=tooling.event_bus,
            alarm_prefixes=(ENDPOINT_STACK_PREFIX, f"{self.stack_name}-"),
            encryption_key=self.data.encryption_key,
        )
        self.reader = None
        if config.environment.report_readers:
            names = [stage.name for stage in stages]
            readers = config.environment.report_readers
            self.reader = ReportReader(self, "ReportReader", data=self.data, readers=readers, stages=names)

    def _default_bus(self) -> events.IEventBus:
        """Where the checks announce, beside the AWS services' own events; forwarded to the tooling bus."""
        return events.EventBus.from_event_bus_name(self, "DefaultBus", "default")

    def _checks(self, core: CheckCore, config: OrchestratorConfig, stages: Sequence[Stage]) -> None:
        """Drift and quality checks with a named schedule group per stage, and the smoke test."""
        names = [stage.name for stage in stages]
        groups = {name: f"{config.project_name}-{name}" for name in names}
        self.drift = DriftMonitoring(self, "Drift", core=core, stages=names, group_names=groups)
        self.quality = QualityMonitoring(self, "Quality", core=core, scheduler_role=self.drift.scheduler_role)
        self.smoke_test = smoke_test_function(self, core)

    def _outputs(self) -> None:
        """What the platform team names elsewhere: ECR repository policies, dashboards, `mlops drift`."""
        CfnOutput(self, VERSION_OUTPUT, value=version("mlops-orchestrator"))
        CfnOutput(self, "DataCaptureBucketName", value=self.data.data_capture_bucket.bucket_name)
        CfnOutput(self, "ReportsBucketName", value=self.data.reports_bucket.bucket_name)
        CfnOutput(self, FORWARDING_ROLE_OUTPUT, value=self.forwarding.role.role_arn)
        if self.regional:
            CfnOutput(self, "RegionalArtifactBucketName", value=self.regional.bucket.bucket_name)
            CfnOutput(self, COPY_ROLE_OUTPUT, value=self.regional.copy.role.role_arn)
        if self.reader:
            CfnOutput(self, "ReportReaderRoleArn", value=self.reader.role.role_arn)
        for name, roles in self.stage_roles.items():
            CfnOutput(self, stage_output(name, "SageMakerRoleArn"), value=roles.sagemaker_role.role_arn)
            CfnOutput(self, stage_output(name, "DeployRoleArn"), value=roles.deploy_role.role_arn)

    def _roles(self, stage: Stage, tooling: ToolingLinks, config: OrchestratorConfig) -> StageRoles:
        """The stage's deploy, CloudFormation and SageMaker roles; the deploy role runs the smoke test too."""
        roles = StageRoles(
            self,
            f"{stage.name.capitalize()}Roles",
            stage=stage.name,
            pipeline_role=tooling.pipeline_role,
            image_accounts=_image_accounts(config, tooling),
            network=stage_network(stage.subnet_ids, stage.security_group_ids),
            # SageMaker loads the artifact from its own region: the regional copies, where they exist.
            registry=self.regional.reads if self.regional else self.registry_reads,
            capture_bucket=self.data.data_capture_bucket,
            artifacts=self.artifact_reads,
            encryption_key=self.data.encryption_key,
            scheduler_role=self.drift.scheduler_role,
            schedule_group=self.drift.schedule_groups[stage.name],
        )
        # CloudFormation reads the blueprint template from the pipelines' artifact store with its own role.
        self.artifact_reads.grant(roles.cloudformation_role, ["*"], ["s3:GetObject", "s3:GetObjectVersion"])
        acknowledge(
            roles.cloudformation_role.node.find_child("DefaultPolicy"),
            {self.artifact_reads.finding("*"): "Pipeline artifacts, only in tooling-owned buckets."},
        )
        self._deploy_role_invokes(roles.deploy_role)
        return roles

    def _deploy_role_invokes(self, deploy_role: iam.Role) -> None:
        """CodePipeline runs the stage's smoke test (and, in another region, the artifact copy) here through
        the deploy role (ListFunctions: Lambda invoke action's documented permissions; it has no resource)."""
        self.smoke_test.function.grant_invoke(deploy_role)
        deploy_role.add_to_policy(iam.PolicyStatement(actions=["lambda:ListFunctions"], resources=["*"]))
        reasons = {
            iam5_resource(self.smoke_test.function, ":*"): "Invokes any version of the smoke test only.",
            "AwsSolutions-IAM5[Resource::*]": "lambda:ListFunctions has no resource.",
        }
        if self.regional:  # and the copy of the stage's artifact into this region, before the deploy
            self.regional.copy.function.grant_invoke(deploy_role)
            reasons[iam5_resource(self.regional.copy.function, ":*")] = (
                "Invokes any version of the copy only."
            )
        acknowledge(deploy_role.node.find_child("DefaultPolicy"), reasons)

    def _model_monitor(self) -> None:
        """Each stage may deploy the blueprint's Model Monitor schedule, and its SageMaker role runs the jobs:
        baselines read from the tooling registry, captures and reports in this account."""
        for roles in self.stage_roles.values():
            grant_model_monitor_deployment(roles.cloudformation_role, roles.sagemaker_role)
            grant_model_monitor_jobs(
                roles.sagemaker_role,
                registry=self.registry_reads,
                capture=self.data.data_capture_bucket,
                reports=self.data.reports_bucket,
                key=self.data.encryption_key,
            )

    def add_batch(
        self,
        stage: Stage,
        *,
        package_check: lambda_.IFunction,
        image_accounts: Sequence[str],
    ) -> BatchTransformWorkflow:
        """Production's batch transform workflow, here beside its data: input and results stay in this
        account's data bucket; the package is checked by the tooling account's resolve function, and the
        outcome is announced on this account's bus, which forwards it to the tooling account."""
        self.batch_role = BatchRole(
            self,
            "BatchRole",
            stage=stage.name,
            data_bucket=self.data.data_capture_bucket,
            encryption_key=self.data.encryption_key,
            registry=self.registry_reads,
            image_accounts=image_accounts,
        ).role
        workflow = BatchTransformWorkflow(
            self,
            "BatchTransform",
            encryption_key=self.data.encryption_key,
            data_bucket=self.data.data_capture_bucket,
            batch_role=self.batch_role,
            package_check=package_check,
            event_bus=self.default_bus,
        )
        CfnOutput(self, "BatchTransformStateMachineArn", value=workflow.state_machine.state_machine_arn)
        return workflow

    def host(self, stage: Stage) -> StageHost:
        """How the tooling pipelines deploy `stage` here, and what they hand its endpoint blueprint."""
        parameters = check_parameters(
            stage=stage.name,
            data=self.data,
            key_arn=self.data.key_alias.alias_arn,  # key ARNs cannot be named from another account
            drift=self.drift,
            quality=self.quality,
            schedule_group=self.drift.schedule_groups[stage.name].name or "",
        )
        return StageHost(
            account=self.account,
            region=self.region,
            roles=self.stage_roles[stage.name],
            smoke_test=self.smoke_test.function,
            parameters=parameters,
            registry_readers=tuple(self.registry_reads.readers),
            artifact_readers=tuple(self.artifact_reads.readers),
            forwarding_role=self.forwarding.role,
            artifact_copy=self.regional.copy.function if self.regional else None,
        )


def _image_accounts(config: OrchestratorConfig, tooling: ToolingLinks) -> tuple[str, ...]:
    """The configured image accounts, and the tooling account when its image builder makes images."""
    builder = config.image_builder
    own = (tooling.account,) if builder and builder.enabled else ()
    return tuple(dict.fromkeys((*config.registry.image_accounts, *own)))
