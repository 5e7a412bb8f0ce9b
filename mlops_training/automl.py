"""What the pipeline asks Autopilot V2 for an automl spec, and how long it waits for the answer.

Shared by synthesis (the state machine's request and its polling loop) and local mode's stand-in, so both
read the same request. Step Functions has no `.sync` integration for AutoML jobs (its optimized SageMaker
integration covers training, tuning, transform, processing and labeling jobs), so the state machine polls.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mlops_manifest.monitoring import ProblemType, QualityMetric
from mlops_training.job import AutoMLJob

if TYPE_CHECKING:
    from mlops_training.spec import TrainingSpec

# Autopilot chooses its own images: the run's identity and lineage record that instead of an image URI.
AUTOPILOT = "sagemaker-autopilot"
# Polling: at least this long between two looks, and never more looks than a Standard workflow's
# 25,000-event history holds comfortably (each look is about eight events).
MIN_POLL_SECONDS = 300
MAX_POLLS = 1000
# After Autopilot's own time limit, how long the pipeline still waits before stopping the job itself.
GRACE_MINUTES = 60

_PROBLEM_TYPES = {
    ProblemType.BINARY: "BinaryClassification",
    ProblemType.MULTICLASS: "MulticlassClassification",
    ProblemType.REGRESSION: "Regression",
}
# Autopilot's objective for the evaluation's metric; roc_auc_macro has none (Autopilot then picks its own).
_OBJECTIVES = {
    QualityMetric.ACCURACY: "Accuracy",
    QualityMetric.PRECISION: "Precision",
    QualityMetric.RECALL: "Recall",
    QualityMetric.F1: "F1",
    QualityMetric.ROC_AUC: "AUC",
    QualityMetric.PRECISION_MACRO: "PrecisionMacro",
    QualityMetric.RECALL_MACRO: "RecallMacro",
    QualityMetric.F1_MACRO: "F1macro",
    QualityMetric.RMSE: "RMSE",
    QualityMetric.MAE: "MAE",
    QualityMetric.R2: "R2",
}
_CHANNEL_TYPES = {"train": "training", "validation": "validation"}


@dataclass(frozen=True)
class PollPlan:
    """Seconds between two looks at the job, and how many looks before the pipeline gives up."""

    interval_seconds: int
    max_polls: int


def poll_plan(job: AutoMLJob) -> PollPlan:
    """Autopilot's time limit plus the grace, in at most MAX_POLLS looks of at least MIN_POLL_SECONDS."""
    total = (job.max_runtime_minutes + GRACE_MINUTES) * 60
    interval = max(MIN_POLL_SECONDS, math.ceil(total / MAX_POLLS))
    return PollPlan(interval, math.ceil(total / interval))


def automl_request(spec: TrainingSpec, *, role_arn: str, output_uri: str, key_arn: str) -> dict[str, Any]:
    """CreateAutoMLJobV2's parameters but the job name: tabular, ensembling (one serving container)."""
    job = spec.job
    assert isinstance(job, AutoMLJob)  # callers branch on the job kind
    tabular: dict[str, Any] = {
        "Mode": "ENSEMBLING",
        "ProblemType": _PROBLEM_TYPES[job.problem_type],
        "TargetAttributeName": job.target_column,
        "CompletionCriteria": {
            "MaxCandidates": job.max_candidates,
            "MaxAutoMLJobRuntimeInSeconds": job.max_runtime_minutes * 60,
        },
    }
    request: dict[str, Any] = {
        "AutoMLJobInputDataConfig": [_channel(c.name, c.uri, c.content_type) for c in spec.channels],
        "OutputDataConfig": {"S3OutputPath": output_uri, "KmsKeyId": key_arn},
        "AutoMLProblemTypeConfig": {"TabularJobConfig": tabular},
        "RoleArn": role_arn,
        "SecurityConfig": {"VolumeKmsKeyId": key_arn, "EnableInterContainerTrafficEncryption": True},
    }
    objective = _OBJECTIVES.get(spec.evaluation.metric)
    if objective is not None:
        request["AutoMLJobObjective"] = {"MetricName": objective}
    return request


def _channel(name: str, uri: str, content_type: str) -> dict[str, Any]:
    """An Autopilot channel; CSV must carry its header row (the target is found by name)."""
    kind = "text/csv;header=present" if content_type == "text/csv" else content_type
    source = {"S3DataType": "S3Prefix", "S3Uri": uri}
    return {"ChannelType": _CHANNEL_TYPES[name], "ContentType": kind, "DataSource": {"S3DataSource": source}}
