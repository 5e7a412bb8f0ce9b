"""Cross-field rules of monitoring.quality: an endpoint with capture, metrics of its problem type, bias."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_manifest.inference import InferenceType
from mlops_manifest.monitoring import METRICS_BY_PROBLEM, Limit, ProblemType
from mlops_manifest.problems import Problem, describe

if TYPE_CHECKING:
    from mlops_manifest.manifest import Manifest
    from mlops_manifest.monitoring import Quality

_PATH = "monitoring.quality"


def quality_problems(m: Manifest) -> list[Problem]:
    """Every problem of the quality section (none when it is absent)."""
    quality = m.monitoring.quality
    if quality is None:
        return []
    return [
        *_captured(m),
        *_metrics(quality),
        *_limits(quality),
        *_classes(quality),
        *_bias(m, quality),
    ]


def _captured(m: Manifest) -> list[Problem]:
    """Quality joins labels with captured predictions: an instance-backed endpoint with capture on."""
    kind = m.inference.type
    if kind in {InferenceType.SERVERLESS, InferenceType.BATCH}:
        allowed = (
            "no quality section for serverless or batch inference: quality checks join ground truth with "
            "endpoint data capture, which only realtime and async endpoints have"
        )
        return [Problem(_PATH, f"a quality section with {kind} inference", allowed, "quality_needs_capture")]
    if m.data_capture.enabled:  # enabled at 0 % is its own problem (serving_checks)
        return []
    allowed = "data capture on with sampling_percent > 0 when monitoring.quality is set"
    found = describe(m.data_capture.enabled)
    return [Problem("data_capture.enabled", found, allowed, "quality_needs_capture")]


def _metrics(quality: Quality) -> list[Problem]:
    """Thresholds only on the metrics computed for the problem type."""
    computed = METRICS_BY_PROBLEM[quality.problem_type]
    allowed = f"a {quality.problem_type} metric: {', '.join(computed)}"
    return [
        Problem(f"{_PATH}.thresholds.{metric}", describe(str(metric)), allowed, "metric_problem_type")
        for metric in quality.thresholds
        if metric not in computed
    ]


def _limits(quality: Quality) -> list[Problem]:
    """Each limit names a bound, and min is not above max."""
    limits: dict[str, Limit] = {f"thresholds.{k}": v for k, v in quality.thresholds.items()}
    limits |= {f"bias_thresholds.{k}": v for k, v in quality.bias_thresholds.items()}
    problems: list[Problem] = []
    for name, limit in limits.items():
        if limit.min is None and limit.max is None:
            problems.append(Problem(f"{_PATH}.{name}", "{}", "a min and/or a max", "missing"))
        elif limit.min is not None and limit.max is not None and limit.min > limit.max:
            found = f"min {limit.min:g} > max {limit.max:g}"
            problems.append(Problem(f"{_PATH}.{name}", found, "min at most max", "range"))
    return problems


def _classes(quality: Quality) -> list[Problem]:
    """Multiclass scores map to class labels, so the labels must be listed (once each)."""
    if quality.problem_type is not ProblemType.MULTICLASS:
        return []
    if not quality.classes:
        allowed = "the class label of each score column for multiclass_classification"
        return [Problem(f"{_PATH}.classes", "(missing)", allowed, "missing")]
    if len(set(quality.classes)) < len(quality.classes):
        return [Problem(f"{_PATH}.classes", describe(quality.classes), "unique class labels", "duplicate")]
    return []


def _bias(m: Manifest, quality: Quality) -> list[Problem]:
    """Bias is for binary classification, on declared features (or a drift baseline's columns)."""
    if not quality.bias_attributes and not quality.bias_thresholds:
        return []
    if quality.problem_type is not ProblemType.BINARY:
        allowed = "bias_attributes and bias_thresholds only for binary_classification"
        field = "bias_attributes" if quality.bias_attributes else "bias_thresholds"
        return [Problem(f"{_PATH}.{field}", str(quality.problem_type), allowed, "bias_binary_only")]
    if not quality.bias_attributes:
        allowed = "bias_thresholds only together with bias_attributes"
        return [Problem(f"{_PATH}.bias_thresholds", "(set)", allowed, "conflict")]
    return _attribute_names(m, quality.bias_attributes)


def _attribute_names(m: Manifest, attributes: list[str]) -> list[Problem]:
    """Bias attributes name capture columns: declared features, or the drift baseline's features."""
    features = m.monitoring.features
    if features is None:
        if m.monitoring.enabled:
            return []
        allowed = "monitoring.features (or monitoring.enabled with a baseline) to name the capture columns"
        return [Problem("monitoring.features", "(missing)", allowed, "missing")]
    names = [feature.name for feature in features]
    allowed = f"one of the features: {', '.join(names)}"
    return [
        Problem(f"{_PATH}.bias_attributes[{i}]", describe(name), allowed, "unknown_feature")
        for i, name in enumerate(attributes)
        if name not in names
    ]
