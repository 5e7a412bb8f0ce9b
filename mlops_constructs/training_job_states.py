"""The SageMaker training and tuning states of a training pipeline, written as Amazon States Language.

CDK's typed training task has no managed spot, checkpoints or tuning, so both states are custom states with
the `.sync` integrations; their IAM statements are granted next to them (training_pipeline_policy.py).
"""

from dataclasses import dataclass
from typing import Any

from aws_cdk import Stack
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from mlops_training.job import BuiltinAlgorithmJob, CustomImageJob, FrameworkScriptJob
from mlops_training.sagemaker_inputs import sagemaker_hyperparameters
from mlops_training.spec import TrainingSpec
from mlops_training.tuning import CategoricalRange, ContinuousRange, Tuning

_RANGE_KINDS = {
    CategoricalRange: "CategoricalParameterRanges",
    ContinuousRange: "ContinuousParameterRanges",
}


@dataclass(frozen=True, kw_only=True)
class JobPlacement:
    """Where a job runs and writes: its role, the output S3 location, and the data key."""

    role_arn: str
    output_uri: str
    key_arn: str


def training_state(scope: Construct, spec: TrainingSpec, placement: JobPlacement) -> sfn.CustomState:
    """A training job (`.sync`), or a tuning job around it when the spec has tuning; result: $.trained."""
    definition = _job_definition(spec, placement)
    if spec.tuning is None:
        return _state(scope, "Train", "createTrainingJob", {
            "TrainingJobName.$": "$.run.runName", **definition,
            "HyperParameters": sagemaker_hyperparameters(spec),
        }, "$.TrainingJobName")  # fmt: skip
    static = {k: v for k, v in sagemaker_hyperparameters(spec).items() if k not in spec.tuning.ranges}
    return _state(scope, "Tune", "createHyperParameterTuningJob", {
        "HyperParameterTuningJobName.$": "$.run.runName",
        "HyperParameterTuningJobConfig": _tuning_config(spec.tuning),
        "TrainingJobDefinition": {**definition, "StaticHyperParameters": static},
    }, "$.BestTrainingJob.TrainingJobName")  # fmt: skip


def _state(
    scope: Construct, construct_id: str, action: str, parameters: dict[str, Any], job_name_path: str
) -> sfn.CustomState:
    """A `.sync` SageMaker state whose result is the (best) training job's name."""
    partition = Stack.of(scope).partition
    return sfn.CustomState(
        scope,
        construct_id,
        state_json={
            "Type": "Task",
            "Resource": f"arn:{partition}:states:::sagemaker:{action}.sync",
            "Parameters": parameters,
            "ResultSelector": {"jobName.$": job_name_path},
            "ResultPath": "$.trained",
        },
    )


def _job_definition(spec: TrainingSpec, placement: JobPlacement) -> dict[str, Any]:
    """What a training job and a tuning job's training jobs share."""
    resources = spec.resources_or_default()
    stopping: dict[str, int] = {"MaxRuntimeInSeconds": resources.max_runtime_minutes * 60}
    definition: dict[str, Any] = {
        "AlgorithmSpecification": _algorithm(spec),
        "RoleArn": placement.role_arn,
        "InputDataConfig": [_channel(c.name, c.uri, c.content_type) for c in spec.channels],
        "OutputDataConfig": {"S3OutputPath": placement.output_uri, "KmsKeyId": placement.key_arn},
        "ResourceConfig": {
            "InstanceType": resources.instance_type,
            "InstanceCount": resources.instance_count,
            "VolumeSizeInGB": resources.volume_size_gb,
            "VolumeKmsKeyId": placement.key_arn,
        },
        "EnableInterContainerTrafficEncryption": True,
        # Script mode fetches its code archive from S3 inside the container, which isolation would block.
        "EnableNetworkIsolation": not isinstance(spec.job, FrameworkScriptJob),
    }
    if resources.spot is not None:
        stopping["MaxWaitTimeInSeconds"] = resources.spot.max_wait_minutes * 60
        definition["EnableManagedSpotTraining"] = True
        definition["CheckpointConfig"] = {"S3Uri": resources.spot.checkpoint_uri}
    return definition | {"StoppingCondition": stopping}


def _algorithm(spec: TrainingSpec) -> dict[str, Any]:
    """The image Prepare resolved for the region, and the metric definitions of script or custom jobs."""
    algorithm: dict[str, Any] = {"TrainingImage.$": "$.run.imageUri", "TrainingInputMode": "File"}
    job = spec.job
    if isinstance(job, FrameworkScriptJob | CustomImageJob) and job.metric_definitions:
        algorithm["MetricDefinitions"] = [{"Name": m.name, "Regex": m.regex} for m in job.metric_definitions]
    assert isinstance(job, FrameworkScriptJob | CustomImageJob | BuiltinAlgorithmJob)  # AutoML is refused
    return algorithm


def _channel(name: str, uri: str, content_type: str) -> dict[str, Any]:
    """Every object under the channel's URI, copied to the instance."""
    source = {"S3DataType": "S3Prefix", "S3Uri": uri, "S3DataDistributionType": "FullyReplicated"}
    return {"ChannelName": name, "ContentType": content_type, "DataSource": {"S3DataSource": source}}


def _tuning_config(tuning: Tuning) -> dict[str, Any]:
    """Strategy, objective, limits and ranges in SageMaker's spelling."""
    ranges: dict[str, list[dict[str, Any]]] = {
        "CategoricalParameterRanges": [],
        "ContinuousParameterRanges": [],
        "IntegerParameterRanges": [],
    }
    for name, searched in tuning.ranges.items():
        if isinstance(searched, CategoricalRange):
            ranges["CategoricalParameterRanges"].append({"Name": name, "Values": list(searched.values)})
            continue
        kind = _RANGE_KINDS.get(type(searched), "IntegerParameterRanges")
        scaling = "".join(part.capitalize() for part in str(searched.scaling).split("_"))
        ranges[kind].append(
            {
                "Name": name,
                "MinValue": str(searched.min),
                "MaxValue": str(searched.max),
                "ScalingType": scaling,
            }
        )
    return {
        "Strategy": str(tuning.strategy).capitalize(),
        "HyperParameterTuningJobObjective": {
            "Type": str(tuning.objective.type).capitalize(),
            "MetricName": tuning.objective.metric_name,
        },
        "ResourceLimits": {
            "MaxNumberOfTrainingJobs": tuning.max_jobs,
            "MaxParallelTrainingJobs": tuning.max_parallel_jobs,
        },
        "ParameterRanges": ranges,
    }
