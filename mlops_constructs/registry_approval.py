"""RegistryApproval: approving a model package in the registry answers the pipeline's production approval."""

from collections.abc import Mapping

from aws_cdk import Stack
from aws_cdk import aws_codepipeline as codepipeline
from constructs import Construct

from lambdas.common.pipeline_variables import ENV_PIPELINE_NAMES
from lambdas.registry_approval.patterns import PACKAGE_APPROVED_PATTERN
from lambdas.registry_approval.settings import ENV_APPROVAL_STAGE_NAME, ENV_REGISTRY_BUCKET, ENV_TOPIC_ARN
from mlops_constructs.acknowledge import acknowledge, iam5_arn, iam5_resource
from mlops_constructs.deployment_triggers import pipeline_names_json
from mlops_constructs.orchestrator_core import OrchestratorCore
from mlops_constructs.orchestrator_function import OrchestratorFunction
from mlops_contract.pipeline import APPROVAL_ACTION
from mlops_contract.registry_layout import MANIFEST_OBJECTS, RECORDS_PREFIX, UPLOADERS_PREFIX
from mlops_manifest.inference import InferenceType


class RegistryApproval(Construct):
    """A rule on model-package approval changes and the function that answers the waiting approval."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        core: OrchestratorCore,
        stage_name: str,
        pipelines: Mapping[InferenceType, codepipeline.Pipeline],
    ) -> None:
        super().__init__(scope, construct_id)
        platform = core.platform
        self.bridge = OrchestratorFunction(
            self,
            "Function",
            source="registry_approval",
            packages=("mlops_manifest", "mlops_contract"),
            description="Answers the production approval when the model package is approved or rejected",
            platform=platform,
            environment={
                ENV_PIPELINE_NAMES: pipeline_names_json(pipelines),
                ENV_APPROVAL_STAGE_NAME: stage_name,
                ENV_TOPIC_ARN: core.registry.notifications.topic_arn,
                ENV_REGISTRY_BUCKET: core.registry.registry_bucket.bucket_name,
            },
        )
        self.bridge.trigger(
            self,
            "PackageDecided",
            pattern=PACKAGE_APPROVED_PATTERN,
            description="A model package was approved or rejected in the SageMaker Model Registry",
        )
        arns = [p.pipeline_arn for p in pipelines.values()]
        self.bridge.allow(["codepipeline:GetPipelineState", "codepipeline:GetPipelineExecution"], arns)
        self.bridge.allow(
            ["codepipeline:PutApprovalResult"], [f"{arn}/{stage_name}/{APPROVAL_ACTION}" for arn in arns]
        )
        self._separation_of_duties(core)

    def _separation_of_duties(self, core: OrchestratorCore) -> None:
        """Read who uploaded a package, record who approved it (or undo a self-approval), and say so."""
        packages = Stack.of(self).format_arn(
            service="sagemaker", resource="model-package", resource_name="*/*"
        )
        self.bridge.allow(["sagemaker:DescribeModelPackage", "sagemaker:UpdateModelPackage"], [packages])
        bucket = core.registry.registry_bucket
        records = [bucket.arn_for_objects(f"{prefix}*") for prefix in (RECORDS_PREFIX, UPLOADERS_PREFIX)]
        self.bridge.allow(["s3:GetObject"], records)
        # Who asked the provisioning API for the upload is signed into the manifest's metadata.
        manifests = bucket.arn_for_objects(MANIFEST_OBJECTS)
        self.bridge.allow(["s3:GetObject", "s3:GetObjectVersion"], [manifests])
        # Without ListBucket a missing uploader record reads as 403, not 404 (not yet delivered).
        self.bridge.allow(
            ["s3:ListBucket"],
            [bucket.bucket_arn],
            {"StringLike": {"s3:prefix": [f"{RECORDS_PREFIX}*", f"{UPLOADERS_PREFIX}*"]}},
        )
        core.registry.encryption_key.grant(self.bridge.function, "kms:Decrypt")
        core.registry.notifications.grant_publish(self.bridge.function)
        acknowledge(
            self.bridge.role.node.find_child("DefaultPolicy"),
            {
                iam5_arn("sagemaker", "model-package/*/*"): "Any registered model version may be decided.",
                iam5_resource(bucket, f"/{RECORDS_PREFIX}*"): "Reads the record of the decided version.",
                iam5_resource(bucket, f"/{UPLOADERS_PREFIX}*"): "Reads who uploaded the decided version.",
                iam5_resource(bucket, f"/{MANIFEST_OBJECTS}"): "Reads who asked the API for the upload.",
                "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]": "Publishes to the KMS-encrypted topic.",
            },
        )
