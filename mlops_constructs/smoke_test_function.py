"""The smoke-test function a pipeline stage invokes after deploying: it calls the stage's new endpoint."""

from aws_cdk import Duration, Stack
from constructs import Construct

from lambdas.smoke_test import settings
from mlops_constructs.acknowledge import iam5_arn, iam5_resource
from mlops_constructs.data_home import CheckCore
from mlops_constructs.model_registry import ASYNC_OUTPUT_PREFIX
from mlops_constructs.orchestrator_function import OrchestratorFunction
from mlops_contract.registry_layout import MANIFEST_OBJECTS as MANIFESTS

# CodePipeline job results support no resource-level permissions (CodePipeline permissions reference).
JOB_RESULTS = ("codepipeline:PutJobSuccessResult", "codepipeline:PutJobFailureResult")


def smoke_test_function(scope: Construct, core: CheckCore) -> OrchestratorFunction:
    """ "SmokeTest": reads the manifest's payload, invokes the endpoint (async ones through S3)."""
    data = core.data
    smoke = OrchestratorFunction(
        scope,
        "SmokeTest",
        source="smoke_test",
        packages=("mlops_manifest", "mlops_contract"),
        description="Invokes a freshly deployed endpoint with the manifest's smoke-test payload",
        environment={
            settings.ENV_INVOKE_TIMEOUT_SECONDS: "30",
            settings.ENV_ASYNC_INPUT_BUCKET: data.data_capture_bucket.bucket_name,
        },
        timeout=Duration.minutes(2),
        platform=core.platform,
        unscopable_actions=JOB_RESULTS,
    )
    data.registry_reads.grant(smoke.role, [MANIFESTS], ["s3:GetObject", "s3:GetObjectVersion"])
    endpoints = Stack.of(scope).format_arn(service="sagemaker", resource="endpoint", resource_name="*")
    smoke.allow(["sagemaker:InvokeEndpoint", "sagemaker:InvokeEndpointAsync"], [endpoints])
    # Asynchronous endpoints: the payload goes in through S3 and the answer comes back through S3.
    capture = data.data_capture_bucket
    smoke.allow(["s3:PutObject"], [capture.arn_for_objects(f"{settings.ASYNC_INPUT_PREFIX}*")])
    smoke.allow(["s3:GetObject"], [capture.arn_for_objects(f"{ASYNC_OUTPUT_PREFIX}*")])
    data.encryption_key.grant(smoke.function, "kms:Decrypt", "kms:GenerateDataKey")
    smoke.acknowledge_policy(
        {
            data.registry_reads.finding(MANIFESTS): "Reads the manifest of any model.",
            iam5_arn("sagemaker", "endpoint/*"): "Endpoints are created per model.",
            iam5_resource(
                capture, f"/{settings.ASYNC_INPUT_PREFIX}*"
            ): "Writes smoke-test payloads, one per job.",
            iam5_resource(capture, f"/{ASYNC_OUTPUT_PREFIX}*"): "Reads the answers of any async endpoint.",
        }
    )
    return smoke
