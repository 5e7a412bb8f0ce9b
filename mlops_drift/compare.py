"""Compare a current profile with its baseline profile into a drift report."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np

from mlops_drift.jsonsafe import finite
from mlops_drift.limits import Limits, feature_limits
from mlops_drift.profile import CategoricalProfile, DatasetProfile, FeatureProfile, NumericProfile, std_dev
from mlops_drift.ranges import out_of_range
from mlops_drift.schema import SchemaFinding, SchemaObservation
from mlops_drift.significance import TESTS_PER_FEATURE
from mlops_drift.sketch import unseen_share
from mlops_drift.stats import (
    PSI_GROUPS,
    beyond_extreme,
    chi2_homogeneity,
    equal_mass_groups,
    js_distance,
    ks_binned,
    psi,
    regroup,
)
from mlops_drift.thresholds import DriftThresholds, Thresholds

Metrics = dict[str, float | None]


class Status(StrEnum):
    """Verdict for a feature or a whole dataset."""

    OK = "ok"
    DRIFT = "drift"
    INSUFFICIENT_DATA = "insufficient_data"


@dataclass(frozen=True)
class FeatureDrift:
    """Drift verdict and metrics for one feature; breaches name the metrics past their threshold."""

    name: str
    kind: str
    status: Status
    metrics: dict[str, float | None]
    breaches: tuple[str, ...]
    thresholds: Thresholds

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form for JSON."""
        return {
            "name": self.name,
            "kind": self.kind,
            "status": self.status.value,
            "metrics": self.metrics,
            "breaches": list(self.breaches),
            "thresholds": self.thresholds.to_dict(),
        }


@dataclass(frozen=True)
class DriftReport:
    """Per-feature drift results and the overall verdict."""

    status: Status
    baseline_records: int
    current_records: int
    features: tuple[FeatureDrift, ...]
    schema: SchemaFinding | None = None  # records whose width or fields differ from the baseline's

    @property
    def drifted_features(self) -> tuple[str, ...]:
        """Names of the features whose status is drift."""
        return tuple(f.name for f in self.features if f.status is Status.DRIFT)

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form for JSON."""
        document = {
            "status": self.status.value,
            "baseline_records": self.baseline_records,
            "current_records": self.current_records,
            "drifted_features": list(self.drifted_features),
            "features": [f.to_dict() for f in self.features],
            "schema": self.schema.to_dict() if self.schema is not None else None,
        }
        return dict(finite(document))


def _rate(part: int, whole: int) -> float:
    """part / whole, 0 when whole is 0."""
    return part / whole if whole else 0.0


def _quality_metrics(base: FeatureProfile, cur: FeatureProfile) -> Metrics:
    """Missing-value and type checks shared by both kinds."""
    base_missing, cur_missing = _rate(base.missing, base.count), _rate(cur.missing, cur.count)
    return {
        "missing_rate_baseline": base_missing,
        "missing_rate_current": cur_missing,
        "missing_rate_change": cur_missing - base_missing,
        "type_mismatch_rate_baseline": _rate(base.type_mismatches, base.count),
        "type_mismatch_rate": _rate(cur.type_mismatches, cur.count),
    }


def _numeric_metrics(base: NumericProfile, cur: NumericProfile) -> Metrics:
    """PSI on ~10 equal-mass groups of the fixed bins, KS on all of them, out-of-range rate, mean shift."""
    sd = std_dev(base)
    # At least ~20 expected values per group in the smaller sample, so PSI's null law is close to chi-square.
    n_groups = min(PSI_GROUPS, max(2, min(base.present, cur.present) // 20))
    groups = equal_mass_groups(base.histogram, n_groups)
    expected_groups = regroup(base.histogram, groups).astype(np.float64)
    # The outer groups (outside the baseline's range) count at least one on both sides: the chance of a
    # value beyond n baseline values' min (or max) is 1 / (n + 1), not the PSI floor's 1e-4.
    expected_groups[[0, -1]] = np.maximum(expected_groups[[0, -1]], 1.0)
    actual_groups = regroup(cur.histogram, groups).astype(np.float64)
    actual_groups[[0, -1]] = np.maximum(actual_groups[[0, -1]], 1.0)  # the same on both sides
    below, above = out_of_range(base, cur)
    tails = (beyond_extreme(k, base.present, cur.present) for k in (below, above))
    p_outside = min(1.0, 2.0 * min(tails))  # either side, Bonferroni
    # PSI's cells: chi-square inside the range, the exact test beyond it; either significant (Bonferroni).
    p_inside = chi2_homogeneity(expected_groups[1:-1], actual_groups[1:-1])[2]
    return {
        "out_of_range_rate": _rate(below + above, cur.present),
        "out_of_range_p_value": p_outside,
        "psi": psi(expected_groups, actual_groups),
        "psi_p_value": min(1.0, 2.0 * min(p_inside, p_outside)),
        "ks": ks_binned(base.histogram, cur.histogram),
        "mean_baseline": base.mean,
        "mean_current": cur.mean,
        "mean_shift_std": (cur.mean - base.mean) / sd if sd > 0 else None,
    }


def _categorical_metrics(base: CategoricalProfile, cur: CategoricalProfile) -> Metrics:
    """PSI, JS distance and chi-square over tracked categories plus "__other__", and new-category rate."""
    expected, actual = [*base.counts, base.other], [*cur.counts, cur.other]
    statistic, dof, p_value = chi2_homogeneity(expected, actual)
    # Without a sketch the tracked set is the baseline's whole domain: every untracked value is new.
    # With one, new values are estimated from the records whose value's bit is clear (mlops_drift.sketch).
    if base.sketch is None:
        new_rate = max(0.0, _rate(cur.other, cur.present) - _rate(base.other, base.present))
    else:
        new_rate = unseen_share(cur.unseen, cur.present, base.sketch)
    return {
        "psi": psi(expected, actual),
        "js": js_distance(expected, actual),
        "chi2": statistic,
        "chi2_dof": float(dof),
        "p_value": p_value,
        "new_category_rate": new_rate,
    }


def _breaches(metrics: Metrics, limits: Limits, small_samples: bool) -> tuple[str, ...]:
    """Names of the metrics past their effective limits."""
    # PSI and JS count only when the same cells also differ significantly (chi-square homogeneity).
    p_cells = metrics.get("psi_p_value", metrics.get("p_value"))
    significant = p_cells is not None and p_cells < limits["p_value"]
    found = [name for name in ("psi", "js") if (metrics.get(name) or 0.0) > limits[name] and significant]
    found += [name for name in ("ks", "new_category_rate") if (metrics.get(name) or 0.0) > limits[name]]
    outside, p_outside = metrics.get("out_of_range_rate"), metrics.get("out_of_range_p_value")
    if (
        outside is not None
        and outside > limits["out_of_range_rate"]
        and (p_outside or 0.0) < limits["p_value"]
    ):
        found.append("out_of_range_rate")
    p_value = metrics.get("p_value")
    if small_samples and p_value is not None and p_value < limits["p_value"]:
        found.append("p_value")
    change = metrics["missing_rate_change"] or 0.0
    if change > limits["missing_rate_increase"]:
        found.append("missing_rate_increase")
    if "missing_rate_decrease" in limits and -change > limits["missing_rate_decrease"]:
        found.append("missing_rate_decrease")
    mismatch_rise = (metrics["type_mismatch_rate"] or 0.0) - (metrics["type_mismatch_rate_baseline"] or 0.0)
    if mismatch_rise > limits["type_mismatch_rate"]:
        found.append("type_mismatch_rate")
    return tuple(found)


def _distribution_metrics(base: FeatureProfile, cur: FeatureProfile) -> Metrics:
    """Kind-specific distribution metrics."""
    if isinstance(base, NumericProfile) and isinstance(cur, NumericProfile):
        return _numeric_metrics(base, cur)
    if isinstance(base, CategoricalProfile) and isinstance(cur, CategoricalProfile):
        return _categorical_metrics(base, cur)
    raise ValueError(f"feature {base.name!r} has different kinds in baseline and current")


def compare_feature(base: FeatureProfile, cur: FeatureProfile, t: Thresholds, tests: int = 1) -> FeatureDrift:
    """Drift verdict for one feature profiled on the same spec as its baseline (one of `tests` tests)."""
    if min(base.count, cur.count) < t.min_records:
        return FeatureDrift(base.name, base.kind.value, Status.INSUFFICIENT_DATA, {}, (), t)
    metrics = _quality_metrics(base, cur)
    # Distribution metrics need enough present values on both sides; missing/type checks do not.
    if min(base.present, cur.present) >= t.min_records:
        metrics |= _distribution_metrics(base, cur)
    small = max(base.present, cur.present) <= t.p_value_max_records
    limits = feature_limits(base, cur, t, tests)
    breaches = _breaches(metrics, limits, small)
    status = Status.DRIFT if breaches else Status.OK
    clean = {k: (None if v is not None and not math.isfinite(v) else v) for k, v in metrics.items()}
    return FeatureDrift(base.name, base.kind.value, status, clean, breaches, t)


def _overall(features: tuple[FeatureDrift, ...], schema: SchemaFinding | None) -> Status:
    """Drift if the schema changed or any feature drifted; ok if any was judged; else insufficient data."""
    statuses = {f.status for f in features}
    if Status.DRIFT in statuses or (schema is not None and schema.drifted):
        return Status.DRIFT
    return Status.OK if Status.OK in statuses else Status.INSUFFICIENT_DATA


def compare(
    baseline: DatasetProfile,
    current: DatasetProfile,
    thresholds: DriftThresholds | None = None,
    schema: SchemaObservation | None = None,
) -> DriftReport:
    """Compare a current profile (built with baseline.spec) and its records' schema with the baseline."""
    thresholds = thresholds or DriftThresholds()
    if baseline.spec != current.spec:
        raise ValueError("current profile was not built on the baseline's spec (use baseline.spec)")
    tests = len(baseline.features) * TESTS_PER_FEATURE
    results = tuple(
        compare_feature(b, c, thresholds.for_feature(b.name), tests)
        for b, c in zip(baseline.features, current.features, strict=True)
    )
    finding = SchemaFinding(schema, thresholds.default.schema_mismatch_rate) if schema is not None else None
    return DriftReport(
        _overall(results, finding), baseline.record_count, current.record_count, results, finding
    )
