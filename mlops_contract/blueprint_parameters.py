"""Parameters of the endpoint blueprint: names, types, constraints, defaults, and who fills each.

Each group is split by who fills its parameters: `MODEL_*` ones come from the registered model, as pipeline
variables of the same name; `STAGE_*` ones are fixed by the platform for each deployment stage.
"""

from typing import Any

from mlops_contract.per_type_parameters import PER_TYPE
from mlops_contract.pipeline import (
    MAX_MODEL_NAME_CHARS,
    MAX_STAGE_NAME_CHARS,
    META_VARIABLES,
    NONE,
    RESOLVED_PARAMETERS,
)
from mlops_contract.registry_layout import SEALED_URL_PATTERN
from mlops_contract.serving import container_parameter_specs
from mlops_manifest.inference import InferenceType
from mlops_manifest.text_rules import IMAGE_URI

_SAGEMAKER_NAME = r"^[a-zA-Z0-9](-*[a-zA-Z0-9])*$"
_BOOLEAN: dict[str, Any] = {"allowed_values": ["true", "false"], "default": "false"}
STAGE_COMMON: dict[str, dict[str, Any]] = {
    "StageName": {
        "description": "Deployment stage, e.g. staging",
        "allowed_pattern": rf"^[a-z](-*[a-z0-9]){{0,{MAX_STAGE_NAME_CHARS - 1}}}$",
    },
    "ModelRoleBoundaryArn": {
        "description": "Permissions boundary of the model's own SageMaker role: the stage's ceiling",
        "allowed_pattern": r"^arn:aws[a-z-]*:iam::\d{12}:policy/\S+$",
    },
    "NotificationTopicArn": {
        "description": "SNS topic told about alarms",
        "allowed_pattern": r"^arn:aws[a-z-]*:sns:\S+$",
    },
}
MODEL_COMMON: dict[str, dict[str, Any]] = {
    "ModelName": {
        "description": "Registered model name",
        "allowed_pattern": _SAGEMAKER_NAME,
        "max_length": MAX_MODEL_NAME_CHARS,
    },
    "ModelVersion": {
        "description": "Version label of the model",
        "allowed_pattern": r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
    },
    # Filled by the stage's resolve action from the registration record (RESOLVED_PARAMETERS).
    # Registration's own rule: the model's role pulls from the account and region named in its host.
    "ImageUri": {
        "description": "Registered inference container image in ECR",
        "allowed_pattern": IMAGE_URI.pattern,
    },
    "ModelDataUrl": {
        "description": "s3:// URI of the registered (sealed) model.tar.gz",
        # One bucket name, then the sealed key: the model's role is derived from this value (Fn::Split).
        "allowed_pattern": SEALED_URL_PATTERN,
    },
    "ServingProgram": {
        "description": "Entry-point script under code/ for script-mode containers ('none': the image's own)",
        "allowed_pattern": r"^(none|[A-Za-z0-9_-]+\.py)$",
        "default": NONE,
    },
    **container_parameter_specs(),  # the package's other container variables, also resolved
    "Http5xxRatePercent": {
        "type": "Number",
        "description": "Rollback alarm: share of 5XX responses (%)",
        "default": 1,
        "min_value": 0,
        "max_value": 100,
    },
    "ModelLatencyMilliseconds": {
        "type": "Number",
        "description": "Rollback alarm: average model latency (ms)",
        "default": 1000,
        "min_value": 1,
    },
    "InvocationErrorsThreshold": {
        "type": "Number",
        "description": "Rollback alarm: failed invocations per minute",
        "default": 5,
        "min_value": 1,
    },
}
STAGE_INSTANCE_BACKED: dict[str, dict[str, Any]] = {
    "KmsKeyArn": {
        "description": "KMS key for captured data, volumes and async output",
        "allowed_pattern": r"^arn:aws[a-z-]*:kms:\S+$",
    },
    "SubnetIds": {
        "type": "CommaDelimitedList",
        "description": "Private subnets of the model (empty value: no VPC)",
    },
    "SecurityGroupIds": {
        "type": "CommaDelimitedList",
        "description": "Security groups of the model (with SubnetIds)",
    },
    "DataCaptureS3Uri": {
        "description": "s3://<capture bucket>/<prefix> for captured data",
        "allowed_pattern": r"^s3://\S+$",
    },
    "BaselineBucketName": {"description": "Bucket holding the baseline profile (the model registry)"},
    "DriftCheckFunctionArn": {
        "description": "The orchestrator's drift-check function",
        "allowed_pattern": r"^arn:\S+$",
    },
    "DriftSchedulerRoleArn": {
        "description": "Role EventBridge Scheduler uses to invoke the drift and model-quality checks"
    },
    "ScheduleGroupName": {
        "description": "The stage's EventBridge Scheduler group, the only one its roles may schedule in",
        "min_length": 1,
    },
    "QualityCheckFunctionArn": {
        "description": "The orchestrator's model-quality function",
        "allowed_pattern": r"^arn:\S+$",
    },
    "TerminationWaitSeconds": {
        "type": "Number",
        "description": "Wait before the old fleet is terminated (s)",
        "default": 0,
        "min_value": 0,
        "max_value": 3600,
    },
    "MaximumExecutionTimeoutSeconds": {
        "type": "Number",
        "description": "Longest the blue/green deployment may take (s)",
        "default": 3600,
        "min_value": 600,
        "max_value": 14400,
    },
}
MODEL_INSTANCE_BACKED: dict[str, dict[str, Any]] = {
    "InstanceType": {
        "description": "ML instance type",
        "allowed_pattern": r"^ml\.[a-z0-9]+\.[a-z0-9]+$",
        "default": "ml.m5.large",
    },
    "InstanceCount": {
        "type": "Number",
        "description": "Initial instance count",
        "default": 1,
        "min_value": 1,
        "max_value": 100,
    },
    "InstanceStorageIsLocal": {
        **_BOOLEAN,
        "description": "true for instance types with local NVMe storage, which SageMaker encrypts "
        "itself and for which it refuses a volume KmsKeyId",
    },
    "DataCaptureEnabled": {**_BOOLEAN, "default": "true", "description": "Capture requests and responses"},
    "CaptureSamplingPercent": {
        "type": "Number",
        "description": "Share of requests captured (%)",
        "default": 20,
        "min_value": 0,
        "max_value": 100,
    },
    "CaptureCsvContentTypes": {
        "type": "CommaDelimitedList",
        "description": "Content types captured as CSV",
        "default": "text/csv",
    },
    "CaptureJsonContentTypes": {
        "type": "CommaDelimitedList",
        "description": "Content types captured as JSON",
        "default": "application/json",
    },
    "BaselineProfileKey": {
        "description": "Key of the drift baseline profile ('none': no drift check for this model)",
        "default": NONE,
    },
    "ManifestKey": {"description": "Key of the model's manifest in the registry bucket", "default": NONE},
    "QualityScheduleExpression": {
        "description": "When model quality is checked ('none': the manifest configures no quality check)",
        "allowed_pattern": r"^(none|(rate|cron)\(.+\))$",
        "default": NONE,
    },
    "DriftScheduleExpression": {
        "description": "When drift is checked: rate(...) or cron(...)",
        "allowed_pattern": r"^(rate|cron)\(.+\)$",
        "default": "rate(1 hour)",
    },
    # One number per threshold: a JSON value would break the pipeline's JSON ParameterOverrides once
    # CodePipeline substitutes the variable as plain text.
    **{
        name: {"type": "Number", "description": description, "default": default, "min_value": 0}
        for name, description, default in (
            ("DriftPsi", "Drift threshold: population stability index", 0.2),
            ("DriftKs", "Drift threshold: Kolmogorov-Smirnov distance", 0.1),
            ("DriftJs", "Drift threshold: Jensen-Shannon distance", 0.1),
            ("DriftPValue", "Drift threshold: chi-square p-value (below it: drift)", 0.05),
            ("DriftMissingRate", "Drift threshold: increase of the missing-value rate", 0.05),
        )
    },
    "AutoscalingEnabled": {**_BOOLEAN, "description": "Register the variant with Application Auto Scaling"},
    "MinCapacity": {
        "type": "Number",
        "description": "Autoscaling minimum instances",
        "default": 1,
        "min_value": 0,
        "max_value": 100,
    },
    "MaxCapacity": {
        "type": "Number",
        "description": "Autoscaling maximum instances",
        "default": 2,
        "min_value": 1,
        "max_value": 100,
    },
    "DeploymentStrategy": {
        "description": "Blue/green traffic shifting",
        "allowed_values": ["ALL_AT_ONCE", "CANARY", "LINEAR"],
        "default": "ALL_AT_ONCE",
    },
    "TrafficShiftPercent": {
        "type": "Number",
        "description": "Canary size or linear step (% of the new fleet)",
        "default": 10,
        "min_value": 1,
        "max_value": 50,
    },
    "BakeSeconds": {
        "type": "Number",
        "description": "Baking period after each traffic shift (s)",
        "default": 600,
        "min_value": 0,
        "max_value": 3600,
    },
}
# Declared only by blueprints synthesized with `[monitoring] sagemaker_model_monitor = true`.
STAGE_MODEL_MONITOR: dict[str, dict[str, Any]] = {
    "ExecutionRoleArn": {
        "description": "The stage's SageMaker role that runs Model Monitor jobs (reads no model artifact)",
        "allowed_pattern": r"^arn:aws[a-z-]*:iam::\d{12}:role/\S+$",
    },
    "ReportsBucketName": {"description": "Bucket receiving Model Monitor reports under model-monitor/"},
}
MODEL_MODEL_MONITOR: dict[str, dict[str, Any]] = {
    "ModelMonitorStatisticsKey": {
        "description": "Key of the model's Model Monitor statistics.json in the baseline bucket "
        "('none': no Model Monitor schedule for this model)",
        "default": NONE,
    },
    "ModelMonitorConstraintsKey": {
        "description": "Key of the model's Model Monitor constraints.json ('none': statistics only)",
        "default": NONE,
    },
}


def parameter_specs(
    inference_type: InferenceType, *, model_monitor: bool = False
) -> dict[str, dict[str, Any]]:
    """Every parameter the blueprint of this inference type declares, by name."""
    return {
        **_from_stage(inference_type, model_monitor=model_monitor),
        **_from_model(inference_type, model_monitor=model_monitor),
    }


def parameter_names(inference_type: InferenceType, *, model_monitor: bool = False) -> tuple[str, ...]:
    """Every parameter name the blueprint of this inference type declares."""
    return tuple(parameter_specs(inference_type, model_monitor=model_monitor))


def blueprint_variables(inference_type: InferenceType) -> tuple[str, ...]:
    """Pipeline variables named like the blueprint parameter they fill, for one endpoint type."""
    # Model Monitor keys are variables whatever the config; the pipeline passes what a blueprint declares.
    names = _from_model(inference_type, model_monitor=True)
    return tuple(name for name in names if name not in (*META_VARIABLES, *RESOLVED_PARAMETERS))


def pipeline_variables(inference_type: InferenceType) -> tuple[str, ...]:
    """Every pipeline variable of the pipeline of one endpoint type, in declaration order."""
    return blueprint_variables(inference_type) + META_VARIABLES


def _from_model(inference_type: InferenceType, *, model_monitor: bool) -> dict[str, dict[str, Any]]:
    backed = inference_type is not InferenceType.SERVERLESS
    return {
        **MODEL_COMMON,
        **(MODEL_INSTANCE_BACKED if backed else {}),
        **(MODEL_MODEL_MONITOR if backed and model_monitor else {}),
        **PER_TYPE[inference_type],
    }


def _from_stage(inference_type: InferenceType, *, model_monitor: bool) -> dict[str, dict[str, Any]]:
    backed = inference_type is not InferenceType.SERVERLESS
    return {
        **STAGE_COMMON,
        **(STAGE_INSTANCE_BACKED if backed else {}),
        **(STAGE_MODEL_MONITOR if backed and model_monitor else {}),
    }
