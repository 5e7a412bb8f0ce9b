"""QualityMonitoring: the model-quality function the endpoints' quality schedules invoke."""

from aws_cdk import Duration
from aws_cdk import aws_iam as iam
from constructs import Construct

from lambdas.model_quality import settings
from mlops_constructs.acknowledge import acknowledge, iam5_resource
from mlops_constructs.data_home import CheckCore, DataHome
from mlops_constructs.model_registry import CAPTURE_PREFIX
from mlops_constructs.quality_schedule import GROUND_TRUTH_PREFIX
from mlops_constructs.report_check import grant_reporting, report_check
from mlops_contract.registry_layout import MANIFEST_OBJECTS


class QualityMonitoring(Construct):
    """Joins captured predictions with uploaded ground truth; publishes, thresholds and notifies."""

    def __init__(
        self, scope: Construct, construct_id: str, *, core: CheckCore, scheduler_role: iam.IRole
    ) -> None:
        super().__init__(scope, construct_id)
        registry = core.data
        self.check = report_check(
            self,
            function="model_quality",
            packages=("mlops_drift", "mlops_manifest", "mlops_contract"),
            description="Model quality and bias of an endpoint from captured predictions and ground truth",
            registry=registry,
            platform=core.platform,
            memory_size=2048,
            timeout=Duration.minutes(5),
            environment={settings.ENV_EVENT_BUS_NAME: core.event_bus.event_bus_name},
        )
        self.check.function.grant_invoke(scheduler_role)
        acknowledge(
            scheduler_role.node.find_child("DefaultPolicy"),
            {
                iam5_resource(
                    self.check.function, ":*"
                ): "Invokes any version of the model-quality function only."
            },
        )
        self._grant(registry)
        core.event_bus.grant_put_events_to(self.check.function)  # ModelQualityBreached
        self._acknowledge(registry)

    def _grant(self, registry: DataHome) -> None:
        check, capture = self.check, registry.data_capture_bucket
        prefixes = [f"{CAPTURE_PREFIX}/*", f"{GROUND_TRUTH_PREFIX}/*"]
        check.allow(["s3:GetObject"], [capture.arn_for_objects(p) for p in prefixes])
        check.allow(["s3:ListBucket"], [capture.bucket_arn], {"StringLike": {"s3:prefix": prefixes}})
        registry.registry_reads.grant(check.role, [MANIFEST_OBJECTS, "baselines/*"])
        grant_reporting(check, registry, ["quality/*"])

    def _acknowledge(self, registry: DataHome) -> None:
        capture, models, reports = (
            registry.data_capture_bucket,
            registry.registry_reads,
            registry.reports_bucket,
        )
        self.check.acknowledge_policy(
            {
                iam5_resource(capture, f"/{CAPTURE_PREFIX}/*"): "Reads captured predictions of any endpoint.",
                iam5_resource(
                    capture, f"/{GROUND_TRUTH_PREFIX}/*"
                ): "Reads ground truth uploaded for any endpoint.",
                models.finding(MANIFEST_OBJECTS): "Reads the quality settings of any model's manifest.",
                models.finding("baselines/*"): "Reads feature names from any model's baseline profile.",
                iam5_resource(
                    reports, "/quality/*"
                ): "Writes quality reports and checkpoints under quality/.",
                "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]": "Publishes to the KMS-encrypted topic.",
            }
        )
