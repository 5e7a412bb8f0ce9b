"""UploadRegistration: manifest uploads in the registry bucket become model package versions or rejections."""

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from constructs import Construct

from lambdas.common.events import rule_pattern
from lambdas.register import settings
from mlops_constructs.acknowledge import acknowledge, iam5_arn, iam5_resource, in_regulatory_packs
from mlops_constructs.orchestrator_core import OrchestratorCore
from mlops_constructs.orchestrator_function import OrchestratorFunction
from mlops_constructs.sealed_prefixes import seal_registered_prefixes
from mlops_contract.registry_layout import (
    ARTIFACTS_PREFIX,
    BASELINES_PREFIX,
    RECORDS_PREFIX,
    SEALED_PREFIXES,
    UPLOADERS_PREFIX,
)

MANIFEST_KEY_PATTERN = "models/*/*/manifest.json"
_SEALED = [f"{prefix}*" for prefix in SEALED_PREFIXES]
_READ_PREFIXES = ["models/*", "datasets/*", *_SEALED]
_WRITE_PREFIXES = ["rejected/*", *_SEALED]  # never models/: uploads are not modified
_PREFIX_REASONS = {
    "models/*": "Reads any uploaded model version under models/.",
    "datasets/*": "Reads baseline datasets, which live under datasets/.",
    "rejected/*": "Writes rejection reports under rejected/ only.",
    f"{ARTIFACTS_PREFIX}*": "Copies verified artifacts to their content-addressed keys (sealed prefix).",
    f"{RECORDS_PREFIX}*": "Writes and reads one registration record per version (sealed prefix).",
    f"{BASELINES_PREFIX}*": "Writes baseline profiles under baselines/ only (sealed prefix).",
    f"{UPLOADERS_PREFIX}*": "Writes who made each upload, from CloudTrail (sealed prefix).",
}
_UNCOMPRESSED_FACTOR = 4  # tar bomb cap: an archive may expand to 4x the largest accepted artifact
_TABLE_KEY = (
    "DynamoDB's grant for the customer-managed key of the idempotency table (encrypt/re-encrypt items)."
)
_PER_MODEL = (
    "A package group is created on first use for each model name data scientists choose, so names are not "
    "known at deploy time; the grant is limited to this account and region."
)


class UploadRegistration(Construct):
    """The register function, its idempotency table and the S3 → EventBridge rule that starts it."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        core: OrchestratorCore,
        max_artifact_bytes: int,
        image_accounts: tuple[str, ...] = (),
    ) -> None:
        super().__init__(scope, construct_id)
        registry_bucket, encryption_key = core.registry.registry_bucket, core.registry.encryption_key
        self.idempotency_table = self._idempotency_table(encryption_key)
        self.register = OrchestratorFunction(
            self,
            "Register",
            source="register",
            packages=("mlops_manifest", "mlops_drift", "mlops_contract"),
            description="Validates an uploaded model and registers it, or rejects it with a report",
            platform=core.platform,
            extra_layers=(core.arrow,),  # reads Parquet baselines
            memory_size=1769,
            unscopable_actions=("sagemaker:ListModelPackages",),
            timeout=Duration.minutes(15),
            environment={
                settings.ENV_REGISTRY_BUCKET: registry_bucket.bucket_name,
                settings.ENV_TOPIC_ARN: core.registry.notifications.topic_arn,
                settings.ENV_EVENT_BUS_NAME: core.event_bus.event_bus_name,
                settings.ENV_IDEMPOTENCY_TABLE: self.idempotency_table.table_name,
                settings.ENV_MAX_ARTIFACT_BYTES: str(max_artifact_bytes),
                settings.ENV_MAX_UNCOMPRESSED_BYTES: str(max_artifact_bytes * _UNCOMPRESSED_FACTOR),
                settings.ENV_IMAGE_ACCOUNTS: ",".join(image_accounts),
            },
        )
        self.rule = self._manifest_rule(registry_bucket)
        self._grant(registry_bucket, encryption_key, core.registry.notifications, core.event_bus)

    def _idempotency_table(self, encryption_key: kms.IKey) -> dynamodb.Table:
        """Remembers handled S3 events for 7 days, so a repeated delivery registers nothing twice."""
        table = dynamodb.Table(
            self,
            "Idempotency",
            partition_key=dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            time_to_live_attribute="expiration",
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED,
            encryption_key=encryption_key,
            removal_policy=RemovalPolicy.DESTROY,
        )
        acknowledge(
            table,
            in_regulatory_packs(
                "DynamoDBInBackupPlan",
                "Idempotency records expire after 7 days; point-in-time recovery covers them.",
                packs=("NIST.800.53.R5", "HIPAA.Security"),  # PCI DSS 3.2.1 has no such rule
            ),
        )
        return table

    def _manifest_rule(self, registry_bucket: s3.IBucket) -> events.Rule:
        """The manifest arriving (uploaded last) starts the register function."""
        return self.register.trigger(
            self,
            "ManifestUploaded",
            description="A manifest.json landed under models/<model>/<version>/ in the registry bucket",
            pattern=rule_pattern(
                "aws.s3",
                ["Object Created"],
                {
                    "bucket": {"name": [registry_bucket.bucket_name]},
                    "object": {"key": [{"wildcard": MANIFEST_KEY_PATTERN}]},
                },
            ),
        )

    def _grant(
        self,
        registry_bucket: s3.Bucket,
        encryption_key: kms.IKey,
        topic: sns.ITopic,
        event_bus: events.IEventBus,
    ) -> None:
        register = self.register
        seal_registered_prefixes(registry_bucket, register.role)
        objects = registry_bucket.arn_for_objects
        register.allow(["s3:GetObject", "s3:GetObjectVersion"], [objects(p) for p in _READ_PREFIXES])
        # AbortMultipartUpload: the artifact copy is a multipart copy for large artifacts.
        register.allow(["s3:PutObject", "s3:AbortMultipartUpload"], [objects(p) for p in _WRITE_PREFIXES])
        # Without ListBucket a missing object reads as 403, not 404, and could not be reported as missing.
        register.allow(
            ["s3:ListBucket"], [registry_bucket.bucket_arn], {"StringLike": {"s3:prefix": _READ_PREFIXES}}
        )
        encryption_key.grant(register.function, "kms:Decrypt", "kms:GenerateDataKey")
        topic.grant_publish(register.function)
        event_bus.grant_put_events_to(register.function)
        self.idempotency_table.grant_read_write_data(register.function)
        self._grant_package_registry()
        self._acknowledge(registry_bucket)

    def _grant_package_registry(self) -> None:
        """Create package groups on first use and package versions in them, in this account and region."""
        arn = Stack.of(self).format_arn
        self.register.allow(
            [
                "sagemaker:DescribeModelPackageGroup",
                "sagemaker:CreateModelPackageGroup",
                "sagemaker:AddTags",
                "sagemaker:CreateModelPackage",
                "sagemaker:DescribeModelPackage",
            ],
            [
                arn(service="sagemaker", resource=kind, resource_name="*")
                for kind in ("model-package-group", "model-package")
            ],
        )

    def _acknowledge(self, registry_bucket: s3.IBucket) -> None:
        self.register.acknowledge_policy(
            {
                **{
                    iam5_resource(registry_bucket, f"/{prefix}"): _PREFIX_REASONS[prefix]
                    for prefix in dict.fromkeys((*_READ_PREFIXES, *_WRITE_PREFIXES))
                },
                "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]": _TABLE_KEY,
                "AwsSolutions-IAM5[Action::kms:ReEncrypt*]": _TABLE_KEY,
                iam5_arn("sagemaker", "model-package-group/*"): _PER_MODEL,
                iam5_arn("sagemaker", "model-package/*"): _PER_MODEL,
            }
        )
