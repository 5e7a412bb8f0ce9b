"""MLOps Workload Orchestrator's `POST /provisionpipeline` bodies, for the pipeline types this product maps.

MWO (deprecated by AWS) took one flat JSON body per pipeline type. The models below accept those bodies as
MWO's own API did (numbers may be digits in a string; location fields may be one value or MWO's
multi-account {dev, staging, prod} object), plus a `migration` object with what MWO never asked for and the
registry needs. docs/migrating-from-mwo.md maps every field.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, StringConstraints
from pydantic_core import PydanticCustomError

from mlops_api.mwo_types import BUCKET_NAME_PATTERN, STAGE_KEYS


class MwoPipelineType(StrEnum):
    """The MWO pipeline types this product maps onto a manifest or its monitoring section."""

    REALTIME_BUILTIN = "byom_realtime_builtin"
    REALTIME_CUSTOM = "byom_realtime_custom"
    BATCH_BUILTIN = "byom_batch_builtin"
    BATCH_CUSTOM = "byom_batch_custom"
    DATA_QUALITY_MONITOR = "byom_data_quality_monitor"
    MODEL_QUALITY_MONITOR = "byom_model_quality_monitor"


MONITOR_TYPES = frozenset({MwoPipelineType.DATA_QUALITY_MONITOR, MwoPipelineType.MODEL_QUALITY_MONITOR})
# Upper bounds MWO's blueprints passed on to SageMaker: volume size (GB) and job runtime (s).
MAX_VOLUME_GB = 16_384
MAX_RUNTIME_SECONDS = 86_400
MAX_TEXT = 1024

Text = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT)]
OptionalText = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
BucketName = Annotated[str, StringConstraints(pattern=BUCKET_NAME_PATTERN)]


def _per_stage(value: Any) -> str | dict[str, str]:
    """One text, or MWO's multi-account form: an object of dev/staging/prod texts."""
    if isinstance(value, str) and 0 < len(value) <= MAX_TEXT:
        return value
    if (
        isinstance(value, dict)
        and value
        and set(value) <= set(STAGE_KEYS)
        and all(isinstance(v, str) and 0 < len(v) <= MAX_TEXT for v in value.values())
    ):
        return dict(value)
    raise PydanticCustomError(
        "per_stage",
        "text of 1-{limit} characters, or MWO's multi-account object of such texts keyed dev, staging, prod",
        {"limit": MAX_TEXT},
    )


def _whole_number(low: int, high: int) -> Callable[[Any], int]:
    """A validator of MWO's numbers: a JSON integer or its digits in a string, within [low, high]."""

    def check(value: Any) -> int:
        digits = isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 12
        number = int(value) if digits else value
        if type(number) is int and low <= number <= high:
            return number
        raise PydanticCustomError(
            "whole_number",
            "a whole number from {low} to {high} (a JSON number or its digits in a string)",
            {"low": low, "high": high},
        )

    return check


def _probability(value: Any) -> float:
    """MWO's probability threshold: a JSON number or a decimal in a string, from 0 to 1."""
    number: Any = value
    if isinstance(value, str) and value.isascii() and 0 < len(value) <= 32:
        try:
            number = float(value)
        except ValueError:
            number = None
    if type(number) in (int, float) and 0 <= number <= 1:
        return float(number)
    raise PydanticCustomError("probability", "a number from 0 to 1 (a JSON number or a decimal in a string)")


PerStage = Annotated[
    str | dict[str, str], PlainValidator(_per_stage, json_schema_input_type=str | dict[str, str])
]
VolumeGb = Annotated[int, PlainValidator(_whole_number(1, MAX_VOLUME_GB), json_schema_input_type=int | str)]
RuntimeSeconds = Annotated[
    int, PlainValidator(_whole_number(1, MAX_RUNTIME_SECONDS), json_schema_input_type=int | str)
]
Probability = Annotated[float, PlainValidator(_probability, json_schema_input_type=float | str)]


class MwoModel(BaseModel):
    """Base of every MWO body part: unknown fields are refused, nothing is coerced but MWO's numbers."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class ByomMigration(MwoModel):
    """What the registry needs that an MWO BYOM body does not carry."""

    assets_bucket: BucketName = Field(description="Name of the MWO stack's assets bucket (AssetsBucket)")
    version: Text = Field(description="The version label of the model in this registry, such as v1")
    artifact_sha256: Text = Field(description="sha256 of model.tar.gz as sha256sum prints it")
    owner: Text | None = Field(default=None, description="Who answers for the model; default: the caller")


class MonitorMigration(MwoModel):
    """What the monitoring section needs that an MWO monitor body does not carry."""

    assets_bucket: BucketName = Field(description="Name of the MWO stack's assets bucket (AssetsBucket)")
    classes: list[Text] | None = Field(
        default=None, max_length=1000, description="Class labels of the score columns (multiclass only)"
    )


class _Byom(MwoModel):
    """Fields every MWO BYOM body has."""

    model_name: Text
    model_artifact_location: Text | None = None
    inference_instance: PerStage
    kms_key_arn: PerStage | None = None
    model_package_name: Text | None = None
    migration: ByomMigration


class _Realtime(_Byom):
    data_capture_location: PerStage
    endpoint_name: PerStage | None = None


class _Batch(_Byom):
    batch_inference_data: PerStage
    batch_job_output_location: PerStage


class _Builtin(MwoModel):
    """Serving with a SageMaker framework image."""

    model_framework: Text
    model_framework_version: Text


class _Custom(MwoModel):
    """Serving with the team's own image."""

    custom_image_uri: Text


class RealtimeBuiltin(_Realtime, _Builtin):
    """`byom_realtime_builtin`: a real-time endpoint serving with a SageMaker framework image."""

    pipeline_type: Literal[MwoPipelineType.REALTIME_BUILTIN]


class RealtimeCustom(_Realtime, _Custom):
    """`byom_realtime_custom`: a real-time endpoint serving with the team's own image."""

    pipeline_type: Literal[MwoPipelineType.REALTIME_CUSTOM]


class BatchBuiltin(_Batch, _Builtin):
    """`byom_batch_builtin`: a batch transform job with a SageMaker framework image."""

    pipeline_type: Literal[MwoPipelineType.BATCH_BUILTIN]


class BatchCustom(_Batch, _Custom):
    """`byom_batch_custom`: a batch transform job with the team's own image."""

    pipeline_type: Literal[MwoPipelineType.BATCH_CUSTOM]


class _Monitor(MwoModel):
    """Fields both MWO Model Monitor bodies have."""

    model_name: Text
    endpoint_name: PerStage
    baseline_data: Text
    baseline_job_output_location: PerStage
    data_capture_location: PerStage
    monitoring_output_location: PerStage
    schedule_expression: Text
    instance_type: PerStage
    instance_volume_size: VolumeGb
    baseline_max_runtime_seconds: RuntimeSeconds | None = None
    monitor_max_runtime_seconds: RuntimeSeconds
    kms_key_arn: PerStage | None = None
    migration: MonitorMigration


class DataQualityMonitor(_Monitor):
    """`byom_data_quality_monitor`: drift of an endpoint's inputs against a baseline dataset."""

    pipeline_type: Literal[MwoPipelineType.DATA_QUALITY_MONITOR]


class ModelQualityMonitor(_Monitor):
    """`byom_model_quality_monitor`: captured predictions joined with uploaded ground truth."""

    pipeline_type: Literal[MwoPipelineType.MODEL_QUALITY_MONITOR]
    problem_type: Literal["Regression", "BinaryClassification", "MulticlassClassification"]
    baseline_inference_attribute: OptionalText
    baseline_probability_attribute: OptionalText | None = None
    baseline_ground_truth_attribute: OptionalText
    monitor_inference_attribute: OptionalText | None = None
    monitor_probability_attribute: OptionalText | None = None
    probability_threshold_attribute: Probability | None = None
    monitor_ground_truth_input: PerStage


MwoBody = (
    RealtimeBuiltin | RealtimeCustom | BatchBuiltin | BatchCustom | DataQualityMonitor | ModelQualityMonitor
)
BODY_MODELS: dict[MwoPipelineType, type[MwoBody]] = {
    MwoPipelineType.REALTIME_BUILTIN: RealtimeBuiltin,
    MwoPipelineType.REALTIME_CUSTOM: RealtimeCustom,
    MwoPipelineType.BATCH_BUILTIN: BatchBuiltin,
    MwoPipelineType.BATCH_CUSTOM: BatchCustom,
    MwoPipelineType.DATA_QUALITY_MONITOR: DataQualityMonitor,
    MwoPipelineType.MODEL_QUALITY_MONITOR: ModelQualityMonitor,
}
