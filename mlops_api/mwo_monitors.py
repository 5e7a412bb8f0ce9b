"""MWO's data-quality and model-quality monitor bodies mapped onto a manifest's monitoring section."""

from __future__ import annotations

from typing import Any

from lambdas.common.s3_uri import s3_uri
from mlops_api.mwo import DataQualityMonitor, ModelQualityMonitor
from mlops_api.mwo_draft import Destination, Draft
from mlops_api.mwo_result import ObjectCopy
from mlops_api.mwo_types import asset_location
from mlops_manifest.monitoring import DATASETS_PREFIX, ProblemType
from mlops_manifest.problems import Problem, describe

MonitorBody = DataQualityMonitor | ModelQualityMonitor
# Migrated baselines get a folder under the shared datasets/ prefix (the register function reads there).
MIGRATED_DATASETS = f"{DATASETS_PREFIX}mwo"
PROBLEM_TYPES = {
    "Regression": ProblemType.REGRESSION,
    "BinaryClassification": ProblemType.BINARY,
    "MulticlassClassification": ProblemType.MULTICLASS,
}
# Attribute values that select the whole single-value answer, which is what the quality check reads.
_WHOLE_ANSWER = frozenset({"", "0"})
_ANSWER_WORDS = (
    "empty or '0': the quality check reads the endpoint's answer itself as the prediction (a number, a "
    'list of scores, or {"predictions": ...}); picking an attribute out of a wider answer is not supported'
)
_JOBS = "checks run in Lambda, or for large volumes as the platform's sharded Processing job"
_BASELINE_JOB = "used only by MWO's baseline job, which has no counterpart here"
_IGNORED: dict[str, str] = {
    "endpoint_name": "the monitored endpoints are the model's own, <model_name>-<stage>, in every stage",
    "baseline_job_output_location": "the baseline is profiled at registration and kept next to the version",
    "data_capture_location": "the checks read the product's own data-capture bucket",
    "monitoring_output_location": "reports go to the product's reports bucket; metrics to CloudWatch",
    "instance_type": _JOBS,
    "instance_volume_size": _JOBS,
    "baseline_max_runtime_seconds": "the baseline is profiled by the register function, not by a job",
    "monitor_max_runtime_seconds": "each check is bounded by its function's timeout",
    "kms_key_arn": "every bucket and report is encrypted with the product's own KMS keys",
    "baseline_data": "quality is judged against monitoring.quality.thresholds, not a baseline",
    "baseline_inference_attribute": _BASELINE_JOB,
    "baseline_probability_attribute": _BASELINE_JOB,
    "baseline_ground_truth_attribute": _BASELINE_JOB,
    "monitor_ground_truth_input": (
        "ground truth is uploaded under the data-capture bucket's ground-truth/<endpoint>/ prefix in "
        "SageMaker's ground-truth format (lambdas/model_quality/README.md)"
    ),
    "monitor_inference_attribute": "the endpoint's answer is the prediction",
    "monitor_probability_attribute": "the endpoint's answer is the prediction",
}
# Per-stage locations, checked and then not carried over; then the plain fields not carried over.
_LOCATIONS = ("baseline_job_output_location", "data_capture_location", "monitoring_output_location")
_PLAIN = (
    "endpoint_name",
    "instance_type",
    "instance_volume_size",
    "baseline_max_runtime_seconds",
    "monitor_max_runtime_seconds",
    "kms_key_arn",
)
_BASELINE_ONLY = (
    "baseline_data",
    "baseline_inference_attribute",
    "baseline_probability_attribute",
    "baseline_ground_truth_attribute",
)


def monitoring_section(body: MonitorBody, where: Destination, draft: Draft) -> dict[str, Any]:
    """The monitoring section a monitor body becomes; problems, ignored fields, copies go into `draft`."""
    for name in _LOCATIONS:
        draft.checked_ignore(name, getattr(body, name), _IGNORED[name])
    for name in _PLAIN:
        draft.ignore(name, getattr(body, name), _IGNORED[name])
    if isinstance(body, ModelQualityMonitor):
        return {"quality": _quality(body, draft)}
    key = _baseline(body, where, draft)
    # MWO's baseline job read the CSV with its header row (DatasetFormat.csv(header=True)).
    return {
        "enabled": True,
        "baseline_dataset_key": key,
        "header_row": True,
        "schedule": body.schedule_expression,
    }


def _baseline(body: DataQualityMonitor, where: Destination, draft: Draft) -> str:
    """The baseline dataset's key here; its copy from MWO's assets bucket is recorded."""
    fallback = f"{MIGRATED_DATASETS}/{body.model_name}/baseline.csv"
    source = asset_location("baseline_data", body.baseline_data, body.migration.assets_bucket)
    if isinstance(source, Problem):
        draft.problems.append(source)
        return fallback
    key = f"{MIGRATED_DATASETS}/{body.model_name}/{source.key}"
    target = s3_uri(where.registry_bucket, key)
    draft.copies.append(ObjectCopy(field="baseline_data", source=source.uri, target=target))
    return key


def _quality(body: ModelQualityMonitor, draft: Draft) -> dict[str, Any]:
    """The quality section: problem type, schedule, probability threshold and (multiclass) class labels."""
    for name in ("monitor_inference_attribute", "monitor_probability_attribute"):
        value = getattr(body, name)
        if value is not None and value.strip() not in _WHOLE_ANSWER:
            draft.problems.append(Problem(name, describe(value), _ANSWER_WORDS, "attribute_not_supported"))
        draft.ignore(name, value, _IGNORED[name])
    for name in _BASELINE_ONLY:
        draft.ignore(name, getattr(body, name), _IGNORED[name])
    name = "monitor_ground_truth_input"
    draft.checked_ignore(name, body.monitor_ground_truth_input, _IGNORED[name])
    quality: dict[str, Any] = {
        "problem_type": str(PROBLEM_TYPES[body.problem_type]),
        "schedule": body.schedule_expression,
    }
    if body.probability_threshold_attribute is not None:
        quality["probability_threshold"] = body.probability_threshold_attribute
    if body.migration.classes is not None:
        quality["classes"] = list(body.migration.classes)
    return quality
