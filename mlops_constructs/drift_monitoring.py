"""DriftMonitoring: the drift-check function, its Processing scale-out and the schedulers' invoke role."""

from collections.abc import Mapping, Sequence

from aws_cdk import Duration, PhysicalName, Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_scheduler as scheduler
from constructs import Construct

from lambdas.drift_check import settings
from mlops_constructs.acknowledge import acknowledge, iam5_arn, iam5_resource, in_regulatory_packs
from mlops_constructs.data_home import CheckCore, DataHome
from mlops_constructs.drift_processing_role import DriftProcessingRole
from mlops_constructs.model_registry import CAPTURE_PREFIX
from mlops_constructs.processing_image import processing_image_uri
from mlops_constructs.report_check import grant_reporting, report_check
from mlops_constructs.service_trust import allow_pass_role, scheduler_principal

_NAMESPACE = "MLOpsOrchestrator/Drift"


class DriftMonitoring(Construct):
    """Drift checks of every endpoint, started by the per-endpoint schedules of the endpoint blueprint."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        core: CheckCore,
        stages: Sequence[str],
        group_names: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.schedule_groups = self._groups(stages, group_names or {})
        registry, event_bus, platform = core.data, core.event_bus, core.platform
        self.processing_role = DriftProcessingRole(self, "Processing", registry=registry).role
        self.check = report_check(
            self,
            function="drift_check",
            packages=("mlops_drift",),
            description="Compares an endpoint's captured traffic with its baseline; reports and alarms.",
            registry=registry,
            platform=platform,
            memory_size=3008,
            timeout=Duration.minutes(15),
            extra_layers=(core.arrow,),  # pyarrow types capture columns (mlops_drift.capture_arrow)
            environment={
                settings.ENV_EVENT_BUS_NAME: event_bus.event_bus_name,
                settings.ENV_PROCESSING_IMAGE_URI: processing_image_uri(self),
                settings.ENV_PROCESSING_ROLE_ARN: self.processing_role.role_arn,
            },
        )
        self.scheduler_role = self._scheduler_role()
        self._grant_check(registry, event_bus)

    def _groups(
        self, stages: Sequence[str], names: Mapping[str, str]
    ) -> dict[str, scheduler.CfnScheduleGroup]:
        """One schedule group per stage: a stage's CloudFormation role touches its own group's schedules
        only. Groups get names only where the tooling pipelines of another account must name them."""
        return {
            stage: scheduler.CfnScheduleGroup(self, f"{stage.capitalize()}Schedules", name=names.get(stage))
            for stage in stages
        }

    def _scheduler_role(self) -> iam.Role:
        """The role the stages' schedules invoke the check with (QualityMonitoring reuses it)."""
        role = iam.Role(
            self,
            "SchedulerRole",
            role_name=PhysicalName.GENERATE_IF_NEEDED,  # named when the tooling pipelines pass it on
            assumed_by=scheduler_principal([group.attr_arn for group in self.schedule_groups.values()]),
            description="Lets the endpoints' EventBridge Scheduler schedules invoke the drift check",
        )
        self.check.function.grant_invoke(role)
        return role

    def _grant_check(self, registry: DataHome, event_bus: events.IEventBus) -> None:
        check, capture = self.check, registry.data_capture_bucket
        registry.registry_reads.grant(check.role, ["baselines/*"])
        check.allow(["s3:GetObject"], [capture.arn_for_objects(f"{CAPTURE_PREFIX}/*")])
        check.allow(
            ["s3:ListBucket"], [capture.bucket_arn], {"StringLike": {"s3:prefix": f"{CAPTURE_PREFIX}/*"}}
        )
        grant_reporting(check, registry, ["drift/*", "processing/*"])
        event_bus.grant_put_events_to(check.function)
        self._grant_scale_out()
        self._acknowledge(registry)

    def _grant_scale_out(self) -> None:
        """Start and watch its own Processing jobs, handing them only the processing role."""
        jobs = Stack.of(self).format_arn(
            service="sagemaker", resource="processing-job", resource_name="drift-*"
        )
        self.check.allow(
            ["sagemaker:CreateProcessingJob", "sagemaker:DescribeProcessingJob", "sagemaker:AddTags"], [jobs]
        )
        allow_pass_role(self.check.role, self.processing_role.role_arn)

    def _acknowledge(self, registry: DataHome) -> None:
        capture, reports = registry.data_capture_bucket, registry.reports_bucket
        self.check.acknowledge_policy(
            {
                registry.registry_reads.finding("baselines/*"): "Reads the baseline profile of any model.",
                iam5_resource(capture, f"/{CAPTURE_PREFIX}/*"): "Reads captured traffic of any endpoint.",
                iam5_resource(reports, "/drift/*"): "Writes reports and checkpoints under drift/.",
                iam5_resource(
                    reports, "/processing/*"
                ): "Stages and collects scale-out jobs under processing/.",
                iam5_arn("sagemaker", "processing-job/drift-*"): "One Processing job per large drift check.",
                "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]": "Publishes to the KMS-encrypted topic.",
            }
        )
        acknowledge(
            self.scheduler_role.node.find_child("DefaultPolicy"),
            {
                iam5_resource(
                    self.check.function, ":*"
                ): "Invokes any version of the drift-check function only.",
                **in_regulatory_packs("IAMNoInlinePolicy", "Policy bound one-to-one to this role."),
            },
        )
