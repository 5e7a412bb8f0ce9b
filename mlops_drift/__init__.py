"""Drift engine: capture parsing, mergeable profiles, drift comparison and model quality (numpy only)."""

from mlops_drift.baseline import from_model_monitor, profile_csv, read_csv_batch
from mlops_drift.batch import FeatureBatch, Kind, batch_from_arrays, build_batch
from mlops_drift.capture import CaptureBatch, LineIssue, parse_capture
from mlops_drift.compare import DriftReport, FeatureDrift, Status, compare
from mlops_drift.ground_truth import GroundTruth, Joined, join, parse_ground_truth
from mlops_drift.profile import (
    CategoricalProfile,
    DatasetProfile,
    NumericProfile,
    merge,
    profile,
)
from mlops_drift.quality import bias_metrics, binary_metrics, multiclass_metrics, regression_metrics
from mlops_drift.spec import FeatureSpec, ProfileSpec, derive_spec
from mlops_drift.stats import chi2_sf, js_distance, ks_binned, ks_distance, psi
from mlops_drift.thresholds import DriftThresholds, Thresholds

__all__ = [
    "CaptureBatch",
    "CategoricalProfile",
    "DatasetProfile",
    "DriftReport",
    "DriftThresholds",
    "FeatureBatch",
    "FeatureDrift",
    "FeatureSpec",
    "GroundTruth",
    "Joined",
    "Kind",
    "LineIssue",
    "NumericProfile",
    "ProfileSpec",
    "Status",
    "Thresholds",
    "batch_from_arrays",
    "bias_metrics",
    "binary_metrics",
    "build_batch",
    "chi2_sf",
    "compare",
    "derive_spec",
    "from_model_monitor",
    "join",
    "js_distance",
    "ks_binned",
    "ks_distance",
    "merge",
    "multiclass_metrics",
    "parse_capture",
    "parse_ground_truth",
    "profile",
    "profile_csv",
    "psi",
    "read_csv_batch",
    "regression_metrics",
]
