"""Drift monitoring and smoke-test settings."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from mlops_manifest import text_rules as rules
from mlops_manifest.base import MimeType, NonEmptyName, StrictModel

SCHEDULE_PATTERN = rules.SCHEDULE.pattern
DATASET_KEY_PATTERN = rules.DATASET_KEY.pattern

# Baselines are read from shared datasets or the model's own folder (the register function reads only there).
DATASETS_PREFIX = "datasets/"
JSON_LINES_SUFFIXES = (".jsonl",)
PARQUET_SUFFIXES = (".parquet", ".pq")

Schedule = Annotated[str, StringConstraints(pattern=SCHEDULE_PATTERN)]


def baseline_prefixes(model_name: str) -> tuple[str, str]:
    """Key prefixes a baseline may be read from: `datasets/` or the model's own `models/<model>/`."""
    return DATASETS_PREFIX, f"models/{model_name}/"


class DatasetFormat(StrEnum):
    """How a baseline dataset is read, decided by its key's suffix."""

    CSV = "csv"
    JSON_LINES = "json_lines"
    PARQUET = "parquet"


def dataset_format(key: str) -> DatasetFormat:
    """`.jsonl`: one {feature: value} object per line; `.parquet`/`.pq`: Parquet; any other key: CSV."""
    lowered = key.lower()
    if lowered.endswith(JSON_LINES_SUFFIXES):
        return DatasetFormat.JSON_LINES
    return DatasetFormat.PARQUET if lowered.endswith(PARQUET_SUFFIXES) else DatasetFormat.CSV


def _no_dot_segments(key: str) -> str:
    """Reject keys with `.` or `..` segments, which S3 consoles and tools resolve differently."""
    if any(segment in {".", ".."} for segment in key.split("/")):
        raise ValueError("a relative S3 key without '.' or '..' segments")
    return key


DatasetKey = Annotated[str, StringConstraints(pattern=DATASET_KEY_PATTERN), AfterValidator(_no_dot_segments)]


class FeatureType(StrEnum):
    """Kind of a feature: numeric and categorical/boolean are profiled for drift, text is not."""

    NUMERIC = "numeric"
    CATEGORICAL = "categorical"
    BOOLEAN = "boolean"
    TEXT = "text"


class Feature(StrictModel):
    """One input column of the model."""

    name: NonEmptyName
    type: FeatureType


class DriftThresholds(StrictModel):
    """Per-metric thresholds above which a feature counts as drifted (docs/drift.md explains each)."""

    psi: float = Field(default=0.2, gt=0, le=10)
    ks_distance: float = Field(default=0.1, gt=0, le=1)
    js_distance: float = Field(default=0.1, gt=0, le=1)
    chi_square_p_value: float = Field(default=0.05, gt=0, lt=1)
    missing_rate_increase: float = Field(default=0.05, gt=0, le=1)
    # A fall of the missing-value rate is always reported; it alarms only when this is set.
    missing_rate_decrease: float | None = Field(default=None, gt=0, le=1)
    # Share of values outside the baseline's observed [min, max] (alarms only when also significant).
    out_of_range_rate: float = Field(default=0.01, gt=0, le=1)
    # Share of captured records whose width or field names differ from the baseline's (a schema change).
    schema_mismatch_rate: float = Field(default=0.01, gt=0, le=1)


class ProblemType(StrEnum):
    """What the model predicts (the model-quality function uses these values too)."""

    BINARY = "binary_classification"
    MULTICLASS = "multiclass_classification"
    REGRESSION = "regression"


class QualityMetric(StrEnum):
    """Metrics the model-quality function computes (names of its report and thresholds)."""

    ACCURACY = "accuracy"
    PRECISION = "precision"
    RECALL = "recall"
    F1 = "f1"
    ROC_AUC = "roc_auc"
    PRECISION_MACRO = "precision_macro"
    RECALL_MACRO = "recall_macro"
    F1_MACRO = "f1_macro"
    ROC_AUC_MACRO = "roc_auc_macro"
    RMSE = "rmse"
    MAE = "mae"
    R2 = "r2"


_M = QualityMetric
# The metrics computed for each problem type; a threshold on any other metric could never be checked.
METRICS_BY_PROBLEM: dict[ProblemType, tuple[QualityMetric, ...]] = {
    ProblemType.BINARY: (_M.ACCURACY, _M.PRECISION, _M.RECALL, _M.F1, _M.ROC_AUC),
    ProblemType.MULTICLASS: (_M.ACCURACY, _M.PRECISION_MACRO, _M.RECALL_MACRO, _M.F1_MACRO, _M.ROC_AUC_MACRO),
    ProblemType.REGRESSION: (_M.RMSE, _M.MAE, _M.R2),
}


class BiasMetric(StrEnum):
    """Per-attribute bias gaps the model-quality function computes (binary classification)."""

    SELECTION_RATE_GAP = "selection_rate_gap"
    TRUE_POSITIVE_RATE_GAP = "true_positive_rate_gap"
    DISPARATE_IMPACT = "disparate_impact"


class Limit(StrictModel):
    """A metric's acceptable range: breached below min or above max."""

    min: float | None = None
    max: float | None = None


class Quality(StrictModel):
    """Model quality: ground truth joined with captured predictions, metrics and bias gaps thresholded."""

    problem_type: ProblemType
    thresholds: dict[QualityMetric, Limit] = Field(default_factory=dict)
    # Bias (binary classification): capture columns, named by monitoring.features or the baseline profile.
    bias_attributes: list[NonEmptyName] = Field(default_factory=list, max_length=20)
    bias_thresholds: dict[BiasMetric, Limit] = Field(default_factory=dict)
    classes: list[NonEmptyName] = Field(default_factory=list, max_length=1000)  # multiclass score columns
    probability_threshold: float = Field(default=0.5, ge=0, le=1)
    lookback_hours: int = Field(default=48, ge=1, le=24 * 14)
    min_records: int = Field(default=50, ge=1, le=10_000_000)
    schedule: Schedule = "rate(1 day)"


class Monitoring(StrictModel):
    """Drift detection: a baseline (under datasets/ or models/<model>/), its columns, schedule, thresholds."""

    enabled: bool = False
    # The baseline: a dataset (CSV, JSON Lines of {feature: value} objects, or Parquet) profiled at
    # registration, or, for teams leaving SageMaker Model Monitor, its statistics.json (and optional
    # constraints.json). Keys lie under datasets/ or the model's own models/<model>/ folder. A CSV's columns
    # are its header row (header_row: true; with features the header must hold exactly the features plus
    # the target) or, without a header, the features in order; a Parquet file's columns are its schema's,
    # matched against features the same way. Text features are not profiled for drift.
    baseline_dataset_key: DatasetKey | None = None
    baseline_statistics_key: DatasetKey | None = None
    baseline_constraints_key: DatasetKey | None = None
    features: list[Feature] | None = Field(default=None, min_length=1, max_length=2000)
    header_row: bool = False
    target_column: NonEmptyName | None = None
    schedule: Schedule = "rate(1 hour)"
    thresholds: DriftThresholds = DriftThresholds()
    # Model quality is independent of drift (enabled): it needs data capture and uploaded ground truth.
    quality: Quality | None = None


class ResponseKind(StrEnum):
    """Top-level shape of a smoke-test response."""

    JSON_OBJECT = "json_object"
    JSON_ARRAY = "json_array"
    NUMBER = "number"
    TEXT = "text"


class ExpectedResponse(StrictModel):
    """What a healthy endpoint answers to the smoke-test payload."""

    kind: ResponseKind = ResponseKind.JSON_ARRAY
    keys: list[NonEmptyName] = Field(default_factory=list, max_length=100)
    length: int | None = Field(default=None, ge=0, le=1_000_000)


class SmokeTest(StrictModel):
    """A request sent to the staging endpoint before promotion."""

    payload: str = Field(min_length=1, max_length=262_144)
    content_type: MimeType = "application/json"
    accept: MimeType = "application/json"
    expected_response: ExpectedResponse = ExpectedResponse()
