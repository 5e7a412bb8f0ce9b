"""Deployment pipeline variables: names per inference type, values from a ModelRegistered detail."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import TypeAdapter, ValidationError

from lambdas.common.instance_types import has_local_storage
from mlops_contract.blueprint_parameters import blueprint_variables, pipeline_variables
from mlops_contract.per_type_parameters import PER_TYPE
from mlops_contract.pipeline import ENDPOINT_TYPES, MAX_MODEL_NAME_CHARS, NONE
from mlops_manifest.deployment import DataCapture, Deployment, DeploymentStrategy
from mlops_manifest.inference import (
    AsyncInference,
    Autoscaling,
    InferenceSettings,
    InferenceType,
    RealtimeInference,
    ServerlessInference,
)
from mlops_manifest.lineage import ChampionComparison, comparison_summary
from mlops_manifest.monitoring import Monitoring

MAX_VALUE_CHARS = 1000  # CodePipeline's limit on a variable value
# Environment variable holding {"realtime": name, "serverless": name, "async": name}.
ENV_PIPELINE_NAMES = "PIPELINE_NAMES"
# The blueprint's TargetBacklogPerInstance default, used when an async manifest has no autoscaling section.
DEFAULT_BACKLOG_PER_INSTANCE = int(PER_TYPE[InferenceType.ASYNC]["TargetBacklogPerInstance"]["default"])
ASYNC_OUTPUT_SUPERSEDED = "s3://unset/async-output/"
BLUEPRINT_VARIABLES = {kind: blueprint_variables(kind) for kind in ENDPOINT_TYPES}
PIPELINE_VARIABLES = {kind: pipeline_variables(kind) for kind in ENDPOINT_TYPES}

_SECTIONS: dict[str, TypeAdapter[Any]] = {
    "inference": TypeAdapter(InferenceSettings),
    "deployment": TypeAdapter(Deployment),
    "data_capture": TypeAdapter(DataCapture),
    "monitoring": TypeAdapter(Monitoring),
}


class VariablesError(ValueError):
    """A ModelRegistered detail that cannot be turned into pipeline variables; lists every problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def variables_for(detail: Mapping[str, Any]) -> dict[str, str]:
    """Every pipeline variable value for one registered model version; raises VariablesError."""
    problems = _identity_problems(detail)
    sections = {name: _section(detail, name, model, problems) for name, model in _SECTIONS.items()}
    inference = sections["inference"]
    if inference is not None and inference.type not in ENDPOINT_TYPES:
        problems.append(f"inference.type: {inference.type} models have no deployment pipeline")
    if problems:
        raise VariablesError(problems)
    deployment, capture, monitoring = sections["deployment"], sections["data_capture"], sections["monitoring"]
    values = {**_model(detail, deployment), **_meta(detail, inference.type, monitoring)}
    if not isinstance(inference, ServerlessInference):
        values.update(_instances(inference, deployment, capture))
        values.update(_drift(monitoring), QualityScheduleExpression=_quality_schedule(monitoring))
    values.update(_per_type(inference))
    too_long = [name for name, value in values.items() if len(value) > MAX_VALUE_CHARS]
    if too_long:
        raise VariablesError([f"{name}: longer than {MAX_VALUE_CHARS} characters" for name in too_long])
    return {name: values[name] for name in PIPELINE_VARIABLES[inference.type]}


def _section(detail: Mapping[str, Any], name: str, adapter: TypeAdapter[Any], problems: list[str]) -> Any:
    """One manifest section of the detail, validated; its problems are added with their field paths."""
    raw = detail.get(name)
    try:
        return adapter.validate_python({} if raw is None and name != "inference" else raw)
    except ValidationError as error:
        problems += [f"{'.'.join(str(p) for p in (name, *e['loc']))}: {e['msg']}" for e in error.errors()]
        return None


def as_pipeline_variables(values: Mapping[str, str]) -> list[dict[str, str]]:
    """The `variables` argument of StartPipelineExecution."""
    return [{"name": name, "value": value} for name, value in values.items()]


def parse_pipeline_names(raw: str) -> dict[InferenceType, str]:
    """Parse the PIPELINE_NAMES JSON object, which must name a pipeline for every pipeline type."""
    names = json.loads(raw)
    if not isinstance(names, dict):
        raise ValueError(f"{ENV_PIPELINE_NAMES} must be a JSON object")
    missing = [str(kind) for kind in ENDPOINT_TYPES if not isinstance(names.get(str(kind)), str)]
    if missing:
        raise ValueError(f"{ENV_PIPELINE_NAMES} lacks a pipeline name for {', '.join(missing)}")
    return {kind: names[str(kind)] for kind in ENDPOINT_TYPES}


def _identity_problems(detail: Mapping[str, Any]) -> list[str]:
    """Required identity fields of the detail, each a non-empty string."""
    paths = (
        "model_name",
        "version",
        "model_package_arn",
        "manifest.bucket",
        "manifest.key",
    )
    problems = [f"{path}: missing or empty" for path in paths if not _text(detail, path)]
    name = _text(detail, "model_name")
    if len(name) > MAX_MODEL_NAME_CHARS:
        problems.append(f"model_name: {len(name)} characters, at most {MAX_MODEL_NAME_CHARS} can be deployed")
    return problems


def _text(detail: Mapping[str, Any], path: str) -> str:
    """The string at a dotted path of the detail, or "" when absent or not a string."""
    value: Any = detail
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value if isinstance(value, str) else ""


def _number(value: float) -> str:
    """A CloudFormation Number: integers without a fraction, other values in plain decimal notation."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _model(detail: Mapping[str, Any], deployment: Deployment) -> dict[str, str]:
    alarms = deployment.rollback_alarms
    return {
        "ModelName": _text(detail, "model_name"),
        "ModelVersion": _text(detail, "version"),
        "Http5xxRatePercent": _number(alarms.http_5xx_rate_percent),
        "ModelLatencyMilliseconds": _number(alarms.model_latency_ms),
        "InvocationErrorsThreshold": _number(alarms.invocation_errors),
    }


def _drift(monitoring: Monitoring) -> dict[str, str]:
    """The drift schedule, the manifest's thresholds (one number each) and any Model Monitor baseline keys."""
    limits, on = monitoring.thresholds, monitoring.enabled  # the manifest checks the keys only when enabled
    return {
        "DriftScheduleExpression": monitoring.schedule,
        "DriftPsi": _number(limits.psi),
        "DriftKs": _number(limits.ks_distance),
        "DriftJs": _number(limits.js_distance),
        "DriftPValue": _number(limits.chi_square_p_value),
        "DriftMissingRate": _number(limits.missing_rate_increase),
        "ModelMonitorStatisticsKey": (on and monitoring.baseline_statistics_key) or NONE,
        "ModelMonitorConstraintsKey": (on and monitoring.baseline_constraints_key) or NONE,
    }


def _quality_schedule(monitoring: Monitoring) -> str:
    """The model-quality schedule: independent of drift (enabled); "none" without a quality section."""
    return monitoring.quality.schedule if monitoring.quality is not None else NONE


def _meta(detail: Mapping[str, Any], kind: InferenceType, monitoring: Monitoring) -> dict[str, str]:
    key = _text(detail, "manifest.key")
    # The register function stores the profile (baselines/<model>/<version>/profile.json) and names it.
    profile = detail.get("baseline_profile") or {}
    return {
        "ModelPackageArn": _text(detail, "model_package_arn"),
        "ManifestBucket": _text(detail, "manifest.bucket"),
        "ManifestKey": key,
        "InferenceType": str(kind),
        "BaselineProfileKey": str(profile.get("key") or NONE) if monitoring.enabled else NONE,
        "Comparison": _comparison(detail.get("comparison"))[:MAX_VALUE_CHARS],
    }


def _comparison(raw: Any) -> str:
    """The champion/challenger line of a trained version (its lineage's comparison), else "none ..."."""
    try:
        comparison = ChampionComparison.model_validate(raw) if raw is not None else None
    except ValidationError:
        comparison = None  # the register function validated the manifest; an odd detail shows as none
    return comparison_summary(comparison)


def _instances(
    inference: RealtimeInference | AsyncInference, deployment: Deployment, capture: DataCapture
) -> dict[str, str]:
    count = inference.initial_instance_count
    scaling = inference.autoscaling
    # ALL_AT_ONCE ignores the shift size; any allowed value will do.
    shift = {
        DeploymentStrategy.CANARY: deployment.canary_percent,
        DeploymentStrategy.LINEAR: deployment.linear_step_percent,
    }.get(deployment.strategy, deployment.canary_percent)
    return {
        "InstanceType": inference.instance_type,
        "InstanceCount": str(count),
        "InstanceStorageIsLocal": _flag(has_local_storage(inference.instance_type)),
        "DataCaptureEnabled": _flag(capture.enabled),
        "CaptureSamplingPercent": str(capture.sampling_percent),
        # The manifest requires at least one content type of each kind, so these are never empty.
        "CaptureCsvContentTypes": ",".join(capture.csv_content_types),
        "CaptureJsonContentTypes": ",".join(capture.json_content_types),
        "AutoscalingEnabled": _flag(scaling is not None),
        "MinCapacity": str(scaling.min_capacity if scaling else count),
        "MaxCapacity": str(scaling.max_capacity if scaling else count),
        "DeploymentStrategy": str(deployment.strategy).upper(),
        "TrafficShiftPercent": str(shift),
        "BakeSeconds": str(deployment.bake_minutes * 60),
    }


def _per_type(inference: Any) -> dict[str, str]:
    if isinstance(inference, ServerlessInference):
        return {
            "MemorySizeInMB": str(inference.memory_size_mb),
            "MaxConcurrency": str(inference.max_concurrency),
        }
    target = (inference.autoscaling or Autoscaling()).target_invocations_per_instance
    if isinstance(inference, RealtimeInference):
        return {"TargetInvocationsPerInstance": str(target)}
    notification = inference.notification
    return {
        # Asynchronous endpoints scale on the queue backlog per instance (the manifest's per-instance target).
        "TargetBacklogPerInstance": str(target if inference.autoscaling else DEFAULT_BACKLOG_PER_INSTANCE),
        "MaxConcurrentInvocationsPerInstance": str(inference.max_concurrent_invocations_per_instance),
        # Replaced by each stage's own async-output prefix (mlops_constructs/model_deployment.py): manifests
        # may not name one (mlops_manifest/serving_checks.py).
        "AsyncOutputS3Uri": ASYNC_OUTPUT_SUPERSEDED,
        "AsyncSuccessTopicArn": (notification and notification.success_topic_arn) or NONE,
        "AsyncErrorTopicArn": (notification and notification.error_topic_arn) or NONE,
    }


def _placeholder(kind: InferenceType) -> dict[str, Any]:
    """A detail for a default manifest of `kind`, with identity placeholders."""
    inference: dict[str, Any] = {"type": str(kind)}
    return {
        "model_name": "unset",
        "version": "unset",
        "model_package_arn": "unset",
        "manifest": {"bucket": "unset", "key": "unset"},
        "inference": inference,
    }


# Values to declare the variables with: valid for the blueprint; placeholders where they name things.
DEFAULTS: dict[InferenceType, dict[str, str]] = {
    kind: variables_for(_placeholder(kind)) for kind in ENDPOINT_TYPES
}
