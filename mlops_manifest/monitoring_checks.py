"""Cross-field rules of the monitoring section: baseline source, its columns, and captured traffic."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from mlops_manifest.inference import InferenceType
from mlops_manifest.monitoring import DatasetFormat, baseline_prefixes, dataset_format
from mlops_manifest.problems import Problem, describe
from mlops_manifest.quality_checks import quality_problems

if TYPE_CHECKING:
    from mlops_manifest.manifest import Manifest
    from mlops_manifest.monitoring import Monitoring

_KEY_FIELDS = ("baseline_dataset_key", "baseline_statistics_key", "baseline_constraints_key")


def monitoring_problems(m: Manifest) -> list[Problem]:
    """Problems of drift monitoring and of model quality (each independent of the other)."""
    return _drift_problems(m) + quality_problems(m)


def _drift_problems(m: Manifest) -> list[Problem]:
    """Drift monitoring needs a readable baseline, its columns and captured traffic."""
    mon = m.monitoring
    problems = _columns(mon)
    if not mon.enabled:
        return problems
    problems += _baseline_source(mon) + _baseline_prefixes(m) + _dataset_columns(mon)
    if m.inference.type is InferenceType.SERVERLESS:
        problems.append(
            Problem(
                "monitoring.enabled",
                "true",
                "false for serverless inference: serverless endpoints cannot capture data (SageMaker "
                "data capture needs instance-backed endpoints), and drift checks read captured traffic; "
                "use realtime or async inference to monitor drift",
                "serverless_no_capture",
            )
        )
    elif not m.data_capture.enabled:  # enabled at 0 % is its own problem (serving_checks)
        problems.append(
            Problem(
                "data_capture.enabled",
                describe(m.data_capture.enabled),
                "data capture on with sampling_percent > 0 when monitoring is enabled",
                "monitoring_needs_capture",
            )
        )
    return problems


def _baseline_source(mon: Monitoring) -> list[Problem]:
    """Exactly one baseline source: a dataset, or Model Monitor statistics (constraints only with them)."""
    if mon.baseline_dataset_key is None and mon.baseline_statistics_key is None:
        allowed = "a baseline dataset key (or baseline_statistics_key) when monitoring is enabled"
        return [Problem("monitoring.baseline_dataset_key", "(missing)", allowed, "missing")]
    if mon.baseline_dataset_key is not None and mon.baseline_statistics_key is not None:
        allowed = "either baseline_dataset_key or baseline_statistics_key, not both"
        found = describe(mon.baseline_statistics_key)
        return [Problem("monitoring.baseline_statistics_key", found, allowed, "conflict")]
    if mon.baseline_constraints_key is not None and mon.baseline_statistics_key is None:
        allowed = "baseline_constraints_key only together with baseline_statistics_key"
        found = describe(mon.baseline_constraints_key)
        return [Problem("monitoring.baseline_constraints_key", found, allowed, "conflict")]
    return []


def _baseline_prefixes(m: Manifest) -> list[Problem]:
    """Baseline objects lie where the register function may read: shared datasets or the model's folder."""
    prefixes = baseline_prefixes(m.model_name)
    allowed = f"a key under {prefixes[0]} or {prefixes[1]} (the register function reads only there)"
    return [
        Problem(f"monitoring.{name}", describe(key), allowed, "baseline_prefix")
        for name in _KEY_FIELDS
        if (key := getattr(m.monitoring, name)) is not None and not key.startswith(prefixes)
    ]


def _dataset_columns(mon: Monitoring) -> list[Problem]:
    """A dataset's columns must be knowable: JSON Lines need features; a CSV target needs a header."""
    key = mon.baseline_dataset_key
    if key is None or dataset_format(key) is DatasetFormat.PARQUET:  # Parquet names its columns
        return []
    if dataset_format(key) is DatasetFormat.JSON_LINES:
        if mon.features is not None:
            return []
        allowed = "feature names and types (a JSON Lines baseline has no header row to name them)"
        return [Problem("monitoring.features", "(missing)", allowed, "missing")]
    if mon.features is None and not mon.header_row:
        allowed = "feature names and types, or header_row: true"
        return [Problem("monitoring.features", "(missing)", allowed, "missing")]
    if mon.target_column is not None and not mon.header_row:
        allowed = (
            "header_row: true so the header names the target column (a CSV without a header has only "
            "the features, in order), or no target_column"
        )
        return [Problem("monitoring.target_column", describe(mon.target_column), allowed, "needs_header")]
    return []


def _columns(mon: Monitoring) -> list[Problem]:
    """Feature names are unique and distinct from the target; a header row only exists in a CSV."""
    problems: list[Problem] = []
    key = mon.baseline_dataset_key
    if mon.header_row and key is not None and dataset_format(key) is not DatasetFormat.CSV:
        allowed = (
            "header_row only for CSV baselines (JSON Lines name features in every record, "
            "Parquet in its schema)"
        )
        problems.append(Problem("monitoring.header_row", "true", allowed, "conflict"))
    if mon.features is None:
        return problems
    names = [feature.name for feature in mon.features]
    duplicates = sorted(name for name, count in Counter(names).items() if count > 1)
    if duplicates:
        problems.append(
            Problem("monitoring.features", describe(duplicates), "unique feature names", "duplicate")
        )
    if mon.target_column is not None and mon.target_column in names:
        allowed = "a column that is not one of the features"
        problems.append(Problem("monitoring.target_column", describe(mon.target_column), allowed, "conflict"))
    return problems
