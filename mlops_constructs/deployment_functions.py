"""DeploymentFunctions: the functions the deployment pipelines call — resolve, smoke test and finalize."""

from aws_cdk import Stack
from aws_cdk import aws_events as events
from constructs import Construct

from lambdas.finalize_deployment import settings as finalize_settings
from lambdas.resolve_package import settings as resolve_settings
from mlops_constructs.acknowledge import iam5_arn, iam5_resource
from mlops_constructs.deployment_pipeline import PipelineSteps
from mlops_constructs.model_registry import ModelRegistry
from mlops_constructs.orchestrator_core import OrchestratorCore
from mlops_constructs.orchestrator_function import FunctionPlatform, OrchestratorFunction
from mlops_constructs.smoke_test_function import JOB_RESULTS, smoke_test_function
from mlops_contract.registry_layout import (
    ARTIFACTS_PREFIX,
    MANIFEST_OBJECTS,
    RECORDS_PREFIX,
    UPLOADERS_PREFIX,
)

# GetJobDetails names the job's pipeline (to read who approved); it has no resource-level scope.
_JOB_ACTIONS = (*JOB_RESULTS, "codepipeline:GetJobDetails")


class DeploymentFunctions(Construct):
    """Pipeline steps implemented as functions, each with only the permissions its step needs."""

    def __init__(
        self, scope: Construct, construct_id: str, *, core: OrchestratorCore, local_smoke_test: bool = True
    ) -> None:
        super().__init__(scope, construct_id)
        registry, event_bus, platform = core.registry, core.event_bus, core.platform
        # Stages in other accounts run their own smoke test there (StageTargetStack).
        self.smoke_test = smoke_test_function(self, core.checks()) if local_smoke_test else None
        self.finalize = self._finalize_function(registry, event_bus, platform)
        self.resolve = self._resolve_function(registry, platform)
        self._grant_finalize(registry, event_bus)
        self.pipeline_steps = PipelineSteps(
            resolve=self.resolve.function,
            smoke_test=self.smoke_test.function if self.smoke_test else None,
            finalize=self.finalize.function,
        )

    def _resolve_function(self, registry: ModelRegistry, platform: FunctionPlatform) -> OrchestratorFunction:
        """Reads a package and its registration record; writes nothing anywhere."""
        resolve = OrchestratorFunction(
            self,
            "Resolve",
            source="resolve_package",
            packages=("mlops_contract", "mlops_manifest"),
            description="Resolves the image and sealed artifact a stage deploys from the registration record",
            environment={resolve_settings.ENV_REGISTRY_BUCKET: registry.registry_bucket.bucket_name},
            platform=platform,
            unscopable_actions=_JOB_ACTIONS,
        )
        bucket = registry.registry_bucket
        sealed = [f"{ARTIFACTS_PREFIX}*", f"{RECORDS_PREFIX}*", f"{UPLOADERS_PREFIX}*"]
        resolve.allow(["s3:GetObject"], [bucket.arn_for_objects(prefix) for prefix in sealed])
        # Who asked the provisioning API for the upload is signed into the manifest's metadata.
        resolve.allow(["s3:GetObject", "s3:GetObjectVersion"], [bucket.arn_for_objects(MANIFEST_OBJECTS)])
        # Without ListBucket a missing record reads as 403, not 404, and could not be reported as missing.
        resolve.allow(["s3:ListBucket"], [bucket.bucket_arn], {"StringLike": {"s3:prefix": sealed}})
        registry.encryption_key.grant(resolve.function, "kms:Decrypt")
        packages = Stack.of(self).format_arn(service="sagemaker", resource="model-package", resource_name="*")
        resolve.allow(["sagemaker:DescribeModelPackage"], [packages])
        resolve.acknowledge_policy(
            {
                iam5_resource(
                    bucket, f"/{ARTIFACTS_PREFIX}*"
                ): "Checks the digest of any registered artifact.",
                iam5_resource(bucket, f"/{RECORDS_PREFIX}*"): "Reads the registration record of any version.",
                iam5_resource(bucket, f"/{UPLOADERS_PREFIX}*"): "Reads who uploaded the version it checks.",
                iam5_resource(bucket, f"/{MANIFEST_OBJECTS}"): "Reads who asked the API for the upload.",
                iam5_arn("sagemaker", "model-package/*"): "Describes the package an execution names.",
            }
        )
        return resolve

    def _finalize_function(
        self, registry: ModelRegistry, event_bus: events.IEventBus, platform: FunctionPlatform
    ) -> OrchestratorFunction:
        return OrchestratorFunction(
            self,
            "Finalize",
            source="finalize_deployment",
            packages=("mlops_manifest", "mlops_contract"),
            description="Approves and tags the deployed model package and announces ModelDeployed",
            environment={
                finalize_settings.ENV_TOPIC_ARN: registry.notifications.topic_arn,
                finalize_settings.ENV_EVENT_BUS_NAME: event_bus.event_bus_name,
            },
            platform=platform,
            unscopable_actions=_JOB_ACTIONS,
        )

    def _grant_finalize(self, registry: ModelRegistry, event_bus: events.IEventBus) -> None:
        function = self.finalize.function
        registry.notifications.grant_publish(function)
        event_bus.grant_put_events_to(function)
        packages = Stack.of(self).format_arn(service="sagemaker", resource="model-package", resource_name="*")
        # Describe: who the registry-approval function or the API recorded as the approver.
        actions = ["sagemaker:DescribeModelPackage", "sagemaker:UpdateModelPackage", "sagemaker:AddTags"]
        self.finalize.allow(actions, [packages])
        self.finalize.acknowledge_policy(
            {
                iam5_arn("sagemaker", "model-package/*"): "Approves the deployed package.",
                "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]": "Publishes to the KMS-encrypted topic.",
            }
        )
