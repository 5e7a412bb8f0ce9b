"""Inference settings: one model per inference type, selected by the `type` field."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field

from mlops_contract.batch_layout import INPUT_LOCATION_WORDS, OUTPUT_LOCATION_WORDS
from mlops_manifest.base import InstanceType, S3Uri, SnsTopicArn, StrictModel

ASYNC_OUTPUT_WORDS = (
    "Asynchronous responses are written to s3://<data-capture bucket>/async-output/<stage>/<model_name>/, "
    "the only prefix the stage's SageMaker execution role may write (least privilege)."
)
ASYNC_NOTIFICATION_WORDS = (
    "SageMaker publishes async notifications with the endpoint's execution role, which may publish to no "
    "SNS topic outside the product (least privilege); read each answer (.out) or failure (.err) under the "
    "async-output prefix instead."
)

# Serverless memory sizes SageMaker accepts (MemorySizeInMB): 1 GB steps from 1024 to 6144.
ServerlessMemory = Literal[1024, 2048, 3072, 4096, 5120, 6144]


class InferenceType(StrEnum):
    """How the model is served."""

    REALTIME = "realtime"
    SERVERLESS = "serverless"
    ASYNC = "async"
    BATCH = "batch"


class Autoscaling(StrictModel):
    """Target-tracking autoscaling of an endpoint variant; min_capacity 0 (scale to zero): async only."""

    min_capacity: int = Field(default=1, ge=0, le=100)
    max_capacity: int = Field(default=2, ge=1, le=100)
    target_invocations_per_instance: int = Field(default=100, ge=1, le=100_000)


class InstanceEndpoint(StrictModel):
    """An endpoint on dedicated instances (real-time or asynchronous): instance type and starting count."""

    type: InferenceType
    instance_type: InstanceType = "ml.m5.large"
    initial_instance_count: int = Field(default=1, ge=1, le=100)


class RealtimeInference(InstanceEndpoint):
    """A real-time endpoint on dedicated instances."""

    type: Literal[InferenceType.REALTIME]
    autoscaling: Autoscaling | None = None


class ServerlessInference(StrictModel):
    """A serverless endpoint, billed per request."""

    type: Literal[InferenceType.SERVERLESS]
    memory_size_mb: ServerlessMemory = 2048
    max_concurrency: int = Field(default=5, ge=1, le=200)


class AsyncNotification(StrictModel):
    """SNS topics for async results: refused at registration (the SageMaker execution role may publish to
    no topic outside the product); kept so the refusal can say why."""

    success_topic_arn: SnsTopicArn | None = None
    error_topic_arn: SnsTopicArn | None = None


class AsyncInference(InstanceEndpoint):
    """An asynchronous endpoint writing results to S3."""

    type: Literal[InferenceType.ASYNC]
    # Refused when set (mlops_manifest.serving_checks): answers go to the product's own async-output prefix,
    # the only place the SageMaker execution role may write. Kept as a field so the refusal can say so.
    output_path: S3Uri | None = Field(
        default=None,
        description=ASYNC_OUTPUT_WORDS + " Leave this field out; a value is refused at registration.",
    )
    notification: AsyncNotification | None = Field(
        default=None,
        description=ASYNC_NOTIFICATION_WORDS + " Leave this field out; topics are refused at registration.",
    )
    max_concurrent_invocations_per_instance: int = Field(default=4, ge=1, le=1000)
    autoscaling: Autoscaling | None = None


class BatchInference(StrictModel):
    """Batch transform runs of the batch workflow, reading and writing production's own data bucket."""

    type: Literal[InferenceType.BATCH]
    instance_type: InstanceType = "ml.m5.large"
    instance_count: int = Field(default=1, ge=1, le=100)
    # Checked with the workflow's own rule (mlops_manifest.serving_checks): the run's default input prefix.
    input_path: str | None = Field(
        default=None,
        description="The input prefix suggested for runs of this model: "
        + INPUT_LOCATION_WORDS
        + ". Optional; each run names its own inputPrefix.",
    )
    # Refused when set, like the async output_path: kept as a field so the refusal can say where results go.
    output_path: str | None = Field(
        default=None,
        description=OUTPUT_LOCATION_WORDS + " Leave this field out; a value is refused at registration.",
    )
    max_payload_mb: int = Field(default=6, ge=1, le=100)


InferenceSettings = Annotated[
    RealtimeInference | ServerlessInference | AsyncInference | BatchInference,
    Field(discriminator="type"),
]
