"""Parts of a SageMaker endpoint configuration, built from the blueprint's parameters per inference type."""

from typing import Any

from aws_cdk import Aws, Fn
from aws_cdk import aws_sagemaker as sagemaker

from mlops_constructs.endpoint_parameters import EndpointParameters
from mlops_manifest.inference import InferenceType

Config = sagemaker.CfnEndpointConfig


def production_variant(
    parameters: EndpointParameters, inference_type: InferenceType, *, model_name: str, variant_name: str
) -> Config.ProductionVariantProperty:
    """One variant: instances for realtime and async, ServerlessConfig for serverless."""
    if inference_type is InferenceType.SERVERLESS:
        return Config.ProductionVariantProperty(
            variant_name=variant_name,
            model_name=model_name,
            serverless_config=Config.ServerlessConfigProperty(
                memory_size_in_mb=parameters.number("MemorySizeInMB"),
                max_concurrency=parameters.number("MaxConcurrency"),
            ),
        )
    return Config.ProductionVariantProperty(
        variant_name=variant_name,
        model_name=model_name,
        instance_type=parameters.text("InstanceType"),
        initial_instance_count=parameters.number("InstanceCount"),
        initial_variant_weight=1,
    )


def data_capture(parameters: EndpointParameters) -> Config.DataCaptureConfigProperty:
    """Capture of requests and responses, KMS-encrypted, with CSV/JSON payloads recorded as text."""
    return Config.DataCaptureConfigProperty(
        enable_capture=Fn.condition_if(parameters.is_true("DataCaptureEnabled").logical_id, True, False),
        initial_sampling_percentage=parameters.number("CaptureSamplingPercent"),
        destination_s3_uri=parameters.text("DataCaptureS3Uri"),
        kms_key_id=parameters.text("KmsKeyArn"),
        capture_options=[
            Config.CaptureOptionProperty(capture_mode="Input"),
            Config.CaptureOptionProperty(capture_mode="Output"),
        ],
        capture_content_type_header=Config.CaptureContentTypeHeaderProperty(
            csv_content_types=parameters.values("CaptureCsvContentTypes"),
            json_content_types=parameters.values("CaptureJsonContentTypes"),
        ),
    )


def volume_key(parameters: EndpointParameters) -> str:
    """The storage-volume key, left out for instance types with local NVMe storage (SageMaker refuses it)."""
    local = parameters.is_true("InstanceStorageIsLocal").logical_id
    return Fn.condition_if(local, Aws.NO_VALUE, parameters.text("KmsKeyArn")).to_string()


def async_inference(parameters: EndpointParameters) -> Config.AsyncInferenceConfigProperty:
    """Results written KMS-encrypted to S3, with optional success and error topics."""
    return Config.AsyncInferenceConfigProperty(
        output_config=Config.AsyncInferenceOutputConfigProperty(
            s3_output_path=parameters.text("AsyncOutputS3Uri"),
            kms_key_id=parameters.text("KmsKeyArn"),
            notification_config=Config.AsyncInferenceNotificationConfigProperty(
                success_topic=_optional(parameters, "AsyncSuccessTopicArn"),
                error_topic=_optional(parameters, "AsyncErrorTopicArn"),
            ),
        ),
        client_config=Config.AsyncInferenceClientConfigProperty(
            max_concurrent_invocations_per_instance=parameters.number("MaxConcurrentInvocationsPerInstance")
        ),
    )


def vpc_config(parameters: EndpointParameters) -> Any:
    """The model's VPC settings, or nothing when no subnets are given."""
    return Fn.condition_if(
        parameters.is_set("SubnetIds").logical_id,
        {
            "Subnets": parameters.values("SubnetIds"),
            "SecurityGroupIds": parameters.values("SecurityGroupIds"),
        },
        Aws.NO_VALUE,
    )


def _optional(parameters: EndpointParameters, name: str) -> str:
    return Fn.condition_if(
        parameters.is_set(name).logical_id, parameters.text(name), Aws.NO_VALUE
    ).to_string()
